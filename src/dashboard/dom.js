// Building the page: every element is made here, and every value goes in as text (a text node or
// an attribute), never as markup, so a stored FriendlyName can only ever be shown, not run.

/** An element with attributes (`on*` become listeners) and children (nodes, or strings as text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/**
 * A date of the API (`Fri, 27 Nov 2026 11:41:51 +0000` or `2026-12-03T14:05:09.123Z`) in UTC, short:
 * `2026-11-27 11:41` by default, `14:05:09.123` as a time of day, `2026-11-27 11:41:51` in full.
 */
export function formatDate(value, { style = 'minute' } = {}) {
  const date = new Date(value);
  if (value === null || value === undefined || Number.isNaN(date.getTime())) return value ?? '';
  const iso = date.toISOString();
  if (style === 'time') return iso.slice(11, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, style === 'full' ? 19 : 16)}`;
}

/** A date as short text, with the exact value the API gave as its tooltip. */
export function dateCell(value, options) {
  const date = new Date(value);
  const datetime = value && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
  return h('time', { datetime, title: value }, formatDate(value, options));
}

/** A view's title (focusable, so keyboard users land on it) and its buttons. */
export function viewHead(title, ...actions) {
  return h('div', { class: 'view-head' }, h('h1', { tabindex: '-1' }, title), h('div', { class: 'head-actions' }, actions));
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${String(kind).toLowerCase().replace(/[^a-z0-9]/g, '')}` }, text);
}

/** A table inside a horizontally scrolling box; `columns` are [title, className?]. */
export function table(columns, rows, { caption, empty = 'Nothing here yet.', className } = {}) {
  const head = h('thead', {}, h('tr', {}, columns.map(([title, cls]) => h('th', { scope: 'col', class: cls }, title))));
  const body = h('tbody', {}, rows);
  const el = h('table', { class: className }, caption ? h('caption', { class: 'visually-hidden' }, caption) : null, head, body);
  return h('div', { class: 'table-wrap' }, rows.length ? el : h('p', { class: 'empty' }, empty));
}

/** A modal dialog (not the browser's confirm()): resolves to the form's values, or null when cancelled. */
export function modal({ title, message, fields = [], confirm = 'OK', danger = false }) {
  return new Promise((resolve) => {
    const inputs = fields.map((field) => {
      const id = `modal-${field.name}`;
      const input = h('input', {
        id, name: field.name, value: field.value ?? '', maxlength: field.maxlength, pattern: field.pattern,
        required: field.required, spellcheck: 'false', autocomplete: 'off', placeholder: field.placeholder,
      });
      return { field, input, row: h('div', { class: 'field' }, h('label', { for: id }, field.label), input) };
    });
    const cancel = h('button', { type: 'button', class: 'secondary', value: 'cancel' }, 'Cancel');
    const ok = h('button', { type: 'submit', class: danger ? 'danger' : null, value: 'ok' }, confirm);
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title),
      message ? (Array.isArray(message) ? message : [message]).map((line) => h('p', {}, line)) : null,
      inputs.map((i) => i.row),
      h('div', { class: 'actions' }, cancel, ok));
    const dialog = h('dialog', { class: 'modal' }, form);
    let result = null;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      result = Object.fromEntries(inputs.map(({ field, input }) => [field.name, input.value]));
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    (inputs[0]?.input ?? ok).focus();
  });
}

/** A value shown once (a new AuthToken or key secret), with a copy button. */
export function secretOnce({ title, label, value, onDismiss }) {
  const code = h('input', { class: 'secret', readonly: true, value, 'aria-label': label, spellcheck: 'false' });
  const status = h('span', { class: 'copy-status', role: 'status' });
  const copy = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: async () => {
      status.textContent = (await copyText(code)) ? 'Copied' : 'Selected: press Ctrl+C to copy';
    },
  }, 'Copy');
  const done = h('button', { type: 'button', class: 'secondary', onclick: () => { box.remove(); onDismiss?.(); } }, 'Done');
  const box = h('div', { class: 'once', role: 'region', 'aria-label': title },
    h('strong', {}, title),
    h('p', {}, `${label}: shown only this once. Copy it now; the emulator keeps only a hash.`),
    h('div', { class: 'once-row' }, code, copy, done),
    status);
  return box;
}

async function copyText(input) {
  input.focus();
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // No clipboard API outside a secure context (a plain-http host name): fall back to the selection.
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
