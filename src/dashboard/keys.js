// Keys: the API keys of one account of the tenant; create (the secret is shown once) and delete.
import { api } from './api.js';
import { h, append, clear, dateCell, table, modal, secretOnce, viewHead } from './dom.js';

export default {
  title: 'Keys',
  mount(root, ctx, wanted) {
    let alive = true;
    const session = ctx.session;
    const mainSid = ctx.main.sid;
    // KEYS.md: a Main key reaches its own account's keys, never a subaccount's (401 / 20003).
    const signedInWithKey = session?.kind === 'key';
    let accountSid = signedInWithKey ? mainSid : (wanted || mainSid);
    const picker = h('select', { id: 'keys-account', onchange: () => ctx.go('keys', picker.value) });
    const newName = h('input', { id: 'new-key-name', maxlength: 64, placeholder: 'optional', autocomplete: 'off' });
    const createButton = h('button', { type: 'submit' }, 'Create key');
    const onceSlot = h('div', { class: 'once-slot' });
    const list = h('div', { class: 'list' });

    append(root, [
      viewHead('Keys', h('button', { type: 'button', class: 'secondary', onclick: load }, 'Refresh')),
      h('div', { class: 'filters' }, h('label', { for: 'keys-account' }, 'Account'), picker),
      signedInWithKey && wanted && wanted !== mainSid
        ? h('p', { class: 'hint' }, 'Signed in with a key: a key can manage only its own account\'s keys. ' +
          'Sign in with the main account\'s AuthToken to manage a subaccount\'s keys.')
        : null,
      h('form', { class: 'panel inline-form', onsubmit: create },
        h('label', { for: 'new-key-name' }, 'New key name'), newName, createButton),
      onceSlot,
      list,
    ]);
    fillPicker();
    load();
    return () => { alive = false; };

    async function fillPicker() {
      let accounts = [ctx.main];
      if (!signedInWithKey) {
        try {
          accounts = await api.accounts();
        } catch (error) {
          if (alive) ctx.fail(error);
        }
      }
      if (!alive) return;
      if (!accounts.some((account) => account.sid === accountSid)) accounts.push({ sid: accountSid, friendly_name: '' });
      clear(picker).append(...accounts.map((account) => h('option', { value: account.sid },
        `${account.friendly_name || '(unknown)'} — ${account.sid}${account.sid === mainSid ? ' (main)' : ''}` +
        `${account.status && account.status !== 'active' ? ` [${account.status}]` : ''}`)));
      picker.value = accountSid;
    }

    async function load() {
      try {
        const keys = await api.keys(accountSid);
        if (!alive) return;
        clear(list).append(table(
          [['Name'], ['SID', 'col-sid'], ['Created (UTC)'], ['Updated (UTC)'], ['Actions', 'col-actions']],
          keys.map(row),
          { caption: `Keys of ${accountSid}`, empty: 'This account has no API keys.' },
        ));
      } catch (error) {
        if (alive) {
          clear(list);
          ctx.fail(error);
        }
      }
    }

    function row(key) {
      const inUse = key.sid === session?.user;
      return h('tr', { 'data-sid': key.sid },
        h('td', { 'data-label': 'Name', class: 'cell-name' },
          key.friendly_name === null ? h('span', { class: 'muted' }, '(no name)') : h('span', { class: 'name' }, key.friendly_name),
          inUse ? h('span', { class: 'badge badge-main' }, 'signed in with it') : null),
        h('td', { 'data-label': 'SID' }, h('code', {}, key.sid)),
        h('td', { 'data-label': 'Created' }, dateCell(key.date_created)),
        h('td', { 'data-label': 'Updated' }, dateCell(key.date_updated)),
        h('td', { 'data-label': 'Actions', class: 'actions' },
          h('button', { type: 'button', class: 'small danger', 'data-action': 'delete', onclick: () => remove(key, inUse) }, 'Delete')));
    }

    async function create(event) {
      event.preventDefault();
      createButton.disabled = true;
      try {
        const made = await api.createKey(accountSid, newName.value.trim());
        newName.value = '';
        clear(onceSlot).append(secretOnce({
          title: `Key ${made.friendly_name ? `“${made.friendly_name}” ` : ''}created (${made.sid})`,
          label: 'Its secret',
          value: made.secret,
        }));
        ctx.notify(`Created key ${made.sid}.`);
        await load();
      } catch (error) {
        ctx.fail(error);
      } finally {
        createButton.disabled = false;
      }
    }

    async function remove(key, inUse) {
      const ok = await modal({
        title: 'Delete key?',
        message: [`Delete ${key.friendly_name ? `“${key.friendly_name}” ` : ''}(${key.sid})?`,
          inUse ? 'You are signed in with this key: deleting it signs you out.'
            : 'Requests made with it are refused from now on.'],
        confirm: 'Delete key',
        danger: true,
      });
      if (!ok) return;
      try {
        await api.deleteKey(accountSid, key.sid);
        if (inUse) {
          ctx.signOut('You deleted the key you were signed in with.');
          return;
        }
        ctx.notify(`Deleted key ${key.sid}.`);
        await load();
      } catch (error) {
        ctx.fail(error);
      }
    }
  },
};
