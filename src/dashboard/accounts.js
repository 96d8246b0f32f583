// Accounts: the main account and its subaccounts; create, rename, suspend, reactivate, close.
import { api } from './api.js';
import { h, clear, badge, dateCell, table, modal, secretOnce, viewHead } from './dom.js';

const NAME = { label: 'FriendlyName', name: 'FriendlyName', maxlength: 64, required: true };

export default {
  title: 'Accounts',
  mount(root, ctx) {
    let alive = true;
    let rows = [];
    const statusFilter = h('select', { id: 'accounts-status', onchange: load },
      h('option', { value: '' }, 'Any status'),
      ['active', 'suspended', 'closed'].map((status) => h('option', { value: status }, status)));
    const nameFilter = h('input', {
      id: 'accounts-name', type: 'search', placeholder: 'Part of a name', autocomplete: 'off', oninput: render,
    });
    const newName = h('input', { id: 'new-subaccount-name', maxlength: 64, placeholder: 'optional', autocomplete: 'off' });
    const createButton = h('button', { type: 'submit' }, 'Create subaccount');
    const onceSlot = h('div', { class: 'once-slot' });
    const list = h('div', { class: 'list', 'aria-busy': 'true' });
    const count = h('p', { class: 'count', role: 'status' });

    root.append(
      viewHead('Accounts', h('button', { type: 'button', class: 'secondary', onclick: load }, 'Refresh')),
      h('form', { class: 'panel inline-form', onsubmit: create },
        h('label', { for: 'new-subaccount-name' }, 'New subaccount name'), newName, createButton),
      onceSlot,
      h('div', { class: 'filters' },
        h('label', { for: 'accounts-status' }, 'Status'), statusFilter,
        h('label', { for: 'accounts-name' }, 'Name'), nameFilter),
      count,
      list,
    );
    load();
    return () => { alive = false; };

    async function load() {
      list.setAttribute('aria-busy', 'true');
      try {
        const found = await api.accounts(statusFilter.value);
        if (!alive) return;
        rows = found;
        render();
      } catch (error) {
        if (alive) ctx.fail(error);
      } finally {
        list.setAttribute('aria-busy', 'false');
      }
    }

    function render() {
      const needle = nameFilter.value.trim().toLowerCase();
      const mainSid = ctx.main?.sid;
      // The main account first, then the newest subaccounts: the API lists oldest first (by the stored,
      // sub-second DateCreated), so its order reversed, not the dates (whole seconds), decides.
      const shown = rows
        .filter((account) => !needle || account.friendly_name.toLowerCase().includes(needle))
        .reverse()
        .sort((a, b) => (b.sid === mainSid) - (a.sid === mainSid));
      const subaccounts = rows.filter((account) => account.sid !== mainSid).length;
      count.textContent = `${shown.length} shown · ${subaccounts} subaccount${subaccounts === 1 ? '' : 's'} in this list`;
      clear(list).append(table(
        [['Name'], ['SID', 'col-sid'], ['Type', 'col-narrow'], ['Status'], ['Created (UTC)'], ['Updated (UTC)'], ['Actions', 'col-actions']],
        shown.map(row),
        { caption: 'Accounts of this tenant', empty: 'No account matches these filters.' },
      ));
    }

    function row(account) {
      const isMain = account.sid === ctx.main?.sid;
      return h('tr', { 'data-sid': account.sid, class: isMain ? 'is-main' : null },
        h('td', { 'data-label': 'Name', class: 'cell-name' }, h('span', { class: 'name' }, account.friendly_name),
          isMain ? badge('main') : null),
        h('td', { 'data-label': 'SID' }, h('code', {}, account.sid)),
        h('td', { 'data-label': 'Type' }, account.type),
        h('td', { 'data-label': 'Status' }, badge(account.status)),
        h('td', { 'data-label': 'Created' }, dateCell(account.date_created)),
        h('td', { 'data-label': 'Updated' }, dateCell(account.date_updated)),
        h('td', { 'data-label': 'Actions', class: 'actions' }, actions(account, isMain)));
    }

    function actions(account, isMain) {
      const button = (label, onclick, cls = 'secondary') =>
        h('button', { type: 'button', class: `small ${cls}`, onclick, 'data-action': label.toLowerCase() }, label);
      const buttons = [button('Rename', () => rename(account)), button('Keys', () => ctx.go('keys', account.sid))];
      if (!isMain && account.status === 'active') buttons.push(button('Suspend', () => setStatus(account, 'suspended')));
      if (!isMain && account.status === 'suspended') buttons.push(button('Reactivate', () => setStatus(account, 'active')));
      if (!isMain && account.status !== 'closed') buttons.push(button('Close', () => close(account), 'danger'));
      return buttons;
    }

    async function create(event) {
      event.preventDefault();
      createButton.disabled = true;
      try {
        const made = await api.createAccount(newName.value.trim());
        newName.value = '';
        clear(onceSlot).append(secretOnce({
          title: `Subaccount “${made.friendly_name}” created (${made.sid})`,
          label: 'Its AuthToken',
          value: made.auth_token,
        }));
        ctx.notify(`Created subaccount ${made.sid}.`);
        await load();
      } catch (error) {
        ctx.fail(error);
      } finally {
        createButton.disabled = false;
      }
    }

    async function rename(account) {
      const values = await modal({
        title: 'Rename account',
        message: `New FriendlyName for ${account.sid}:`,
        fields: [{ ...NAME, value: account.friendly_name }],
        confirm: 'Rename',
      });
      if (!values) return;
      await update(account, { FriendlyName: values.FriendlyName }, 'Renamed');
      if (account.sid === ctx.main?.sid) ctx.refreshTenant();
    }

    async function setStatus(account, status) {
      await update(account, { Status: status }, status === 'active' ? 'Reactivated' : 'Suspended');
    }

    async function close(account) {
      const ok = await modal({
        title: 'Close subaccount?',
        message: [`Close “${account.friendly_name}” (${account.sid})?`,
          'Closing is final: a closed account can never be reactivated, and its credentials stop working.'],
        confirm: 'Close account',
        danger: true,
      });
      if (ok) await update(account, { Status: 'closed' }, 'Closed');
    }

    async function update(account, form, done) {
      try {
        await api.updateAccount(account.sid, form);
        ctx.notify(`${done} ${account.sid}.`);
        await load();
      } catch (error) {
        ctx.fail(error);
      }
    }
  },
};
