// Snapshots (CONTROL.md): save the tenant as it is, restore it later, delete what is no longer needed.
import { api } from './api.js';
import { h, clear, dateCell, table, modal, viewHead } from './dom.js';

const NAME_PATTERN = '[A-Za-z0-9._\\-]{1,64}';

export default {
  title: 'Snapshots',
  mount(root, ctx) {
    let alive = true;
    const name = h('input', {
      id: 'snapshot-name', required: true, maxlength: 64, pattern: NAME_PATTERN, placeholder: 'e.g. fixture-1',
      autocomplete: 'off', spellcheck: 'false', title: '1 to 64 of A-Z a-z 0-9 . _ -',
    });
    const saveButton = h('button', { type: 'submit' }, 'Save snapshot');
    const list = h('div', { class: 'list' });

    root.append(
      viewHead('Snapshots', h('button', { type: 'button', class: 'secondary', onclick: load }, 'Refresh')),
      h('p', { class: 'hint' }, 'A snapshot holds the subaccounts and keys of this tenant (not the main account\'s ' +
        'Main keys, the journal or the faults). Restoring one makes the tenant exactly as it was saved.'),
      h('form', { class: 'panel inline-form', onsubmit: save },
        h('label', { for: 'snapshot-name' }, 'Name'), name, saveButton),
      list,
    );
    load();
    return () => { alive = false; };

    async function load() {
      try {
        const answer = await api.snapshots();
        if (!alive) return;
        clear(list).append(table(
          [['Name'], ['Saved (UTC)'], ['Subaccounts', 'col-narrow'], ['Keys', 'col-narrow'], ['Actions', 'col-actions']],
          (answer?.snapshots ?? []).map(row),
          { caption: 'Snapshots, newest first', empty: 'No snapshot saved yet.' },
        ));
      } catch (error) {
        if (alive) ctx.fail(error);
      }
    }

    function row(snapshot) {
      return h('tr', { 'data-name': snapshot.name },
        h('td', { 'data-label': 'Name', class: 'cell-name' }, h('code', {}, snapshot.name)),
        h('td', { 'data-label': 'Saved' }, dateCell(snapshot.date_created, { style: 'full' })),
        h('td', { 'data-label': 'Subaccounts' }, String(snapshot.subaccounts)),
        h('td', { 'data-label': 'Keys' }, String(snapshot.keys)),
        h('td', { 'data-label': 'Actions', class: 'actions' },
          h('button', { type: 'button', class: 'small secondary', 'data-action': 'restore', onclick: () => restore(snapshot) }, 'Restore'),
          h('button', { type: 'button', class: 'small danger', 'data-action': 'delete', onclick: () => remove(snapshot) }, 'Delete')));
    }

    async function save(event) {
      event.preventDefault();
      if (!event.target.reportValidity()) return;
      saveButton.disabled = true;
      try {
        const saved = await api.saveSnapshot(name.value);
        ctx.notify(`Saved snapshot ${saved.name}: ${saved.subaccounts} subaccounts, ${saved.keys} keys.`);
        name.value = '';
        await load();
      } catch (error) {
        ctx.fail(error);
      } finally {
        saveButton.disabled = false;
      }
    }

    async function restore(snapshot) {
      const ok = await modal({
        title: 'Restore snapshot?',
        message: [`Restore “${snapshot.name}”?`, 'The tenant becomes exactly the snapshot: subaccounts and keys made ' +
          'since are deleted, and every fault is disarmed. Your own credentials keep working.'],
        confirm: 'Restore',
        danger: true,
      });
      if (!ok) return;
      try {
        const restored = await api.restoreSnapshot(snapshot.name);
        ctx.notify(`Restored ${restored.name}: ${restored.subaccounts} subaccounts, ${restored.keys} keys.`);
        ctx.refreshBalance();
        ctx.refreshTenant();
      } catch (error) {
        ctx.fail(error);
      }
    }

    async function remove(snapshot) {
      const ok = await modal({
        title: 'Delete snapshot?',
        message: `Delete “${snapshot.name}”? The tenant itself does not change.`,
        confirm: 'Delete snapshot',
        danger: true,
      });
      if (!ok) return;
      try {
        await api.deleteSnapshot(snapshot.name);
        ctx.notify(`Deleted snapshot ${snapshot.name}.`);
        await load();
      } catch (error) {
        ctx.fail(error);
      }
    }
  },
};
