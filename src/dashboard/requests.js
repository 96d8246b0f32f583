// Requests: the tenant's request journal (CONTROL.md), newest first, polled while the view is open.
import { api } from './api.js';
import { h, clear, badge, dateCell, formatDate, table, modal, viewHead } from './dom.js';

// CONTROL.md asks for at least every 2 s; entries become readable up to 1 s after their answer, so a
// faster poll keeps a new entry on screen within 2 s of its answer. Polling GETs are not journaled.
const POLL_MS = 750;
const PAGE_SIZE = 100;

/** A SID or id cut to its ends in the list (`ACdead…beef`); the details show it whole. */
function short(id) {
  const text = String(id ?? '');
  return h('code', { title: text }, text.length > 14 ? `${text.slice(0, 6)}…${text.slice(-4)}` : text);
}

export default {
  title: 'Requests',
  mount(root, ctx) {
    let alive = true;
    let timer = null;
    let entries = [];
    let shownIds = '';
    let selected = null;
    let failing = false;
    let inFlight = false;
    let again = false;
    const status = h('select', { id: 'requests-status', onchange: refilter },
      h('option', { value: '' }, 'Any status'),
      ['2xx', '4xx', '5xx'].map((value) => h('option', { value }, value)));
    const method = h('select', { id: 'requests-method', onchange: refilter },
      h('option', { value: '' }, 'Any method'),
      ['GET', 'POST', 'PUT', 'DELETE'].map((value) => h('option', { value }, value)));
    const live = h('input', { id: 'requests-live', type: 'checkbox', checked: true, onchange: () => live.checked && poll() });
    const list = h('div', { class: 'list' });
    const details = h('aside', { class: 'details', id: 'request-details', 'aria-label': 'Request details', hidden: true });
    const updated = h('p', { class: 'count', id: 'requests-updated' });

    root.append(
      viewHead('Requests',
        h('button', { type: 'button', class: 'secondary', onclick: poll }, 'Refresh'),
        h('button', { type: 'button', class: 'secondary danger-text', onclick: clearJournal }, 'Clear journal')),
      h('div', { class: 'filters' },
        h('label', { for: 'requests-status' }, 'Status'), status,
        h('label', { for: 'requests-method' }, 'Method'), method,
        h('label', { class: 'check', for: 'requests-live' }, live, 'Live')),
      updated,
      h('div', { class: 'split' }, list, details),
    );
    document.addEventListener('visibilitychange', poll);
    poll();
    return () => {
      alive = false;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', poll);
    };

    function refilter() {
      shownIds = '';
      poll();
    }

    async function poll() {
      clearTimeout(timer);
      if (!alive || document.hidden) return;
      if (inFlight) {
        again = true; // filters changed or a refresh was asked for while a poll was out
        return;
      }
      inFlight = true;
      try {
        const page = await api.requests({ PageSize: PAGE_SIZE, Status: status.value, Method: method.value });
        if (alive && !again) {
          failing = false;
          entries = page?.requests ?? [];
          const n = entries.length;
          updated.textContent = `${n} newest entr${n === 1 ? 'y' : 'ies'} · updated ${formatDate(new Date(), { style: 'time' }).slice(0, 8)} UTC`;
          render();
        }
      } catch (error) {
        // One message for a run of failures, not one every poll.
        if (alive && !failing) ctx.fail(error);
        failing = true;
      } finally {
        inFlight = false;
      }
      if (!alive) return;
      if (again) {
        again = false;
        poll();
      } else if (live.checked) {
        timer = setTimeout(poll, POLL_MS);
      }
    }

    function render() {
      const ids = entries.map((entry) => entry.request_id).join();
      if (ids === shownIds) return; // unchanged: keep the rows (and the focus) as they are
      shownIds = ids;
      clear(list).append(table(
        [['Time (UTC)'], ['Method', 'col-narrow'], ['Path'], ['Status', 'col-narrow'], ['Code', 'col-narrow'],
          ['Latency', 'col-narrow'], ['Credential', 'col-sid'], ['Fault', 'col-narrow']],
        entries.map(row),
        { caption: 'Request journal, newest first', empty: 'No request recorded yet (with these filters).', className: 'requests' },
      ));
      if (selected && !entries.some((entry) => entry.request_id === selected)) showDetails(null);
    }

    function row(entry) {
      const open = h('button', { type: 'button', class: 'link path', onclick: () => showDetails(entry) },
        entry.path + (entry.query ? `?${entry.query}` : ''));
      return h('tr', { 'data-id': entry.request_id, class: entry.request_id === selected ? 'selected' : null },
        h('td', { 'data-label': 'Time' }, dateCell(entry.date, { style: 'time' })),
        h('td', { 'data-label': 'Method' }, entry.method),
        h('td', { 'data-label': 'Path', class: 'cell-path' }, open),
        h('td', { 'data-label': 'Status' }, badge(String(entry.status), `s${String(entry.status)[0]}xx`)),
        h('td', { 'data-label': 'Code' }, entry.code ?? '—'),
        h('td', { 'data-label': 'Latency' }, `${Number(entry.latency_ms).toFixed(1)} ms`),
        h('td', { 'data-label': 'Credential' }, short(entry.credential)),
        h('td', { 'data-label': 'Fault' }, entry.fault ? short(entry.fault) : '—'));
    }

    function showDetails(entry) {
      selected = entry?.request_id ?? null;
      for (const tr of list.querySelectorAll('tr[data-id]')) tr.classList.toggle('selected', tr.dataset.id === selected);
      clear(details).hidden = !entry;
      if (!entry) return;
      const field = (name, value) => [h('dt', {}, name), h('dd', {}, value)];
      details.append(
        h('div', { class: 'details-head' }, h('h2', {}, 'Request'),
          h('button', { type: 'button', class: 'link', 'aria-label': 'Close details', onclick: () => showDetails(null) }, '×')),
        h('dl', {},
          field('Request id', h('code', {}, entry.request_id)),
          field('Date', entry.date),
          field('Method', entry.method),
          field('Path', h('code', {}, entry.path)),
          field('Query', entry.query === null ? '(none)' : h('code', {}, entry.query)),
          field('Status', String(entry.status)),
          field('Code', entry.code === null ? '(none)' : String(entry.code)),
          field('Latency', `${entry.latency_ms} ms`),
          field('Credential', h('code', {}, entry.credential ?? '')),
          field('Fault', entry.fault === null ? '(none)' : h('code', {}, entry.fault))),
        h('h3', {}, 'Parameters'),
        h('pre', { class: 'params' }, entry.params && Object.keys(entry.params).length
          ? JSON.stringify(entry.params, null, 2) : '(none)'));
      details.querySelector('button').focus();
    }

    async function clearJournal() {
      const ok = await modal({
        title: 'Clear the journal?',
        message: 'Every recorded request of this tenant is deleted.',
        confirm: 'Clear journal',
        danger: true,
      });
      if (!ok) return;
      try {
        await api.clearRequests();
        ctx.notify('The journal is empty.');
        showDetails(null);
        refilter();
      } catch (error) {
        ctx.fail(error);
      }
    }
  },
};
