// Reset (CONTROL.md): the tenant back to its main account alone, after a confirmation.
import { api } from './api.js';
import { h, clear, modal, viewHead } from './dom.js';

export default {
  title: 'Reset',
  mount(root, ctx) {
    let alive = true;
    const result = h('div', { class: 'result', role: 'status' });
    const button = h('button', { type: 'button', class: 'danger', id: 'reset-button', onclick: reset }, 'Reset tenant…');
    root.append(
      viewHead('Reset'),
      h('div', { class: 'panel' },
        h('p', {}, 'A reset deletes every subaccount of this tenant with its keys, every Standard key of the main ' +
          'account, and disarms every fault. The subaccount cap is free again afterwards.'),
        h('p', {}, 'It keeps the main account (SID, AuthToken, name, status and balance), its Main keys, the ' +
          'snapshots and the request journal.'),
        button),
      result,
    );
    return () => { alive = false; };

    async function reset() {
      const ok = await modal({
        title: 'Reset this tenant?',
        message: `Every subaccount and key of ${ctx.main.friendly_name} (${ctx.main.sid}), except its Main keys, is ` +
          'deleted. Only restoring a snapshot brings them back.',
        confirm: 'Reset tenant',
        danger: true,
      });
      if (!ok) return;
      button.disabled = true;
      try {
        const done = await api.reset();
        if (!alive) return;
        clear(result).append(h('p', { class: 'panel ok' },
          `Reset done: ${done.subaccounts_deleted} subaccounts and ${done.keys_deleted} keys deleted, ` +
          `${done.faults_disarmed} faults disarmed.`));
        ctx.notify('The tenant was reset.');
      } catch (error) {
        ctx.fail(error);
      } finally {
        button.disabled = false;
      }
    }
  },
};
