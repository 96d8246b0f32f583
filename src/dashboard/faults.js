// Faults (CONTROL.md): make the tenant's next API requests fail or slow down; list and disarm them.
import { api } from './api.js';
import { h, clear, dateCell, table, viewHead } from './dom.js';

const POLL_MS = 2000; // the remaining counts go down as requests take them

function field(id, label, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('small', {}, hint) : null);
}

export default {
  title: 'Faults',
  mount(root, ctx) {
    let alive = true;
    let timer = null;
    const status = h('select', { id: 'fault-status', name: 'Status' },
      h('option', { value: '' }, 'none (delay only)'),
      ['429', '500', '502', '503', '504'].map((value) => h('option', { value, selected: value === '503' }, value)));
    const code = h('input', { id: 'fault-code', name: 'Code', type: 'number', min: 1, max: 99999, placeholder: 'default' });
    const count = h('input', { id: 'fault-count', name: 'Count', type: 'number', min: 1, max: 10000, value: 1, required: true });
    const method = h('select', { id: 'fault-method', name: 'Method' },
      h('option', { value: '' }, 'any'), h('option', { value: 'GET' }, 'GET'), h('option', { value: 'POST' }, 'POST'));
    const path = h('input', { id: 'fault-path', name: 'Path', placeholder: '/2010-04-01/…', autocomplete: 'off', spellcheck: 'false' });
    const delay = h('input', { id: 'fault-delay', name: 'DelayMs', type: 'number', min: 0, max: 30000, value: 0 });
    const armButton = h('button', { type: 'submit' }, 'Arm fault');
    const list = h('div', { class: 'list' });

    root.append(
      viewHead('Faults',
        h('button', { type: 'button', class: 'secondary', onclick: load }, 'Refresh'),
        h('button', { type: 'button', class: 'secondary danger-text', onclick: disarmAll }, 'Disarm all')),
      h('form', { class: 'panel grid-form', onsubmit: arm },
        field('fault-status', 'Status', status),
        field('fault-code', 'Code', code, 'Twilio error code; empty for the default'),
        field('fault-count', 'Count', count, 'requests it takes'),
        field('fault-method', 'Method', method),
        field('fault-path', 'Path prefix', path, 'empty for any API path'),
        field('fault-delay', 'Delay (ms)', delay),
        h('div', { class: 'field field-submit' }, armButton)),
      h('h2', {}, 'Armed faults'),
      list,
    );
    load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };

    async function load() {
      clearTimeout(timer);
      try {
        const answer = await api.faults();
        if (!alive) return;
        clear(list).append(table(
          [['Id', 'col-sid'], ['Status', 'col-narrow'], ['Code', 'col-narrow'], ['Remaining', 'col-narrow'],
            ['Method', 'col-narrow'], ['Path'], ['Delay', 'col-narrow'], ['Armed (UTC)'], ['Actions', 'col-actions']],
          (answer?.faults ?? []).map(row),
          { caption: 'Armed faults, oldest first', empty: 'No fault is armed: requests are served normally.' },
        ));
        timer = setTimeout(load, POLL_MS);
      } catch (error) {
        if (alive) ctx.fail(error);
      }
    }

    function row(fault) {
      return h('tr', { 'data-id': fault.id },
        h('td', { 'data-label': 'Id' }, h('code', {}, fault.id)),
        h('td', { 'data-label': 'Status' }, fault.status === null ? '—' : String(fault.status)),
        h('td', { 'data-label': 'Code' }, fault.code === null ? '—' : String(fault.code)),
        h('td', { 'data-label': 'Remaining' }, `${fault.remaining} of ${fault.count}`),
        h('td', { 'data-label': 'Method' }, fault.method ?? 'any'),
        h('td', { 'data-label': 'Path' }, fault.path === null ? 'any' : h('code', {}, fault.path)),
        h('td', { 'data-label': 'Delay' }, `${fault.delay_ms} ms`),
        h('td', { 'data-label': 'Armed' }, dateCell(fault.date_created, { style: 'full' })),
        h('td', { 'data-label': 'Actions', class: 'actions' },
          h('button', { type: 'button', class: 'small secondary', 'data-action': 'disarm', onclick: () => disarm(fault) }, 'Disarm')));
    }

    async function arm(event) {
      event.preventDefault();
      if (!event.target.reportValidity()) return;
      armButton.disabled = true;
      try {
        const form = { Status: status.value, Code: code.value, Count: count.value, Method: method.value, Path: path.value.trim() };
        if (delay.value && delay.value !== '0') form.DelayMs = delay.value;
        else if (!status.value) form.DelayMs = delay.value || '0';
        const fault = await api.armFault(form);
        ctx.notify(`Armed fault ${fault.id}.`);
        await load();
      } catch (error) {
        ctx.fail(error);
      } finally {
        armButton.disabled = false;
      }
    }

    async function disarm(fault) {
      try {
        await api.disarmFault(fault.id);
        ctx.notify(`Disarmed ${fault.id}.`);
      } catch (error) {
        ctx.fail(error);
      }
      await load();
    }

    async function disarmAll() {
      try {
        await api.disarmAll();
        ctx.notify('Every fault is disarmed.');
      } catch (error) {
        ctx.fail(error);
      }
      await load();
    }
  },
};
