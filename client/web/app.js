/*
 * The report form of gp-client web. Everything the page offers comes
 * from the period's form (GET /api/form): areas, kinds, occasions,
 * statuses, indicators, narrative texts and sections, with their
 * Vietnamese labels. The page keeps the report as report JSON, the shape
 * gp-client validate reads, and never judges it itself: every change is
 * sent to /api/validate, which runs the C checks of gp-client, and the
 * errors come back by field name ("activities[2].female") to be shown
 * beside their field, in Vietnamese as gp-client's catalogue words them.
 * The province's review of the period (/api/status, as gp-client status
 * asks it) is shown above the report.
 *
 * The DOM is built with createElement and textContent only: no text of
 * a report, a form or the server is ever parsed as HTML.
 */
'use strict';

(function () {
  const CSRF = document.querySelector('meta[name="gp-csrf"]').content;
  const VALIDATE_MS = 250;   // after the last keystroke
  const SAVE_MS = 1500;
  const POLL_MS = 15000;     // while a report waits in the outbox

  const S = {
    unit: '', unitName: '', today: '', periods: [], review: null,
    period: null, form: null, report: null,
    last: null, sentAs: null, queuedAs: null, origin: 'empty', draftAt: null,
    touched: new Set(), showAll: false, verdict: null,
    validateTimer: 0, validateSeq: 0, validateAbort: null,
    saveTimer: 0, dirty: false, sending: false, pollTimer: 0
  };

  const $ = (id) => document.getElementById(id);

  /* --- building the DOM ------------------------------------------------ */

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of [].concat(children || [])) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* --- words and numbers ----------------------------------------------- */

  function num(n) {
    return String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  }

  // "2022-06-10" as 10/6/2022.
  function day(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    return m ? `${+m[3]}/${+m[2]}/${m[1]}` : '';
  }

  // An RFC 3339 time as local "14:05 ngày 4/12/2026".
  function when(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return iso || '';
    const p = (x) => String(x).padStart(2, '0');
    return `${p(d.getHours())}:${p(d.getMinutes())} ngày ${d.getDate()}/${d.getMonth() + 1}/${d.getFullYear()}`;
  }

  // Whether two reports say the same, whatever the order of their keys
  // (a draft as the page wrote it, a revision as the server returns it).
  function same(a, b) {
    const canon = (v) => {
      if (Array.isArray(v)) return v.map(canon);
      if (v && typeof v === 'object') {
        const o = {};
        for (const k of Object.keys(v).sort()) if (v[k] !== null && v[k] !== undefined) o[k] = canon(v[k]);
        return o;
      }
      return v;
    };
    return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
  }

  function daysBetween(from, to) {
    return Math.round((Date.parse(to) - Date.parse(from)) / 86400000);
  }

  /* --- the API ----------------------------------------------------------- */

  async function api(method, path, body, keepalive) {
    const opts = { method, headers: {}, credentials: 'same-origin', keepalive: !!keepalive };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    if (method !== 'GET') opts.headers['X-GP-CSRF'] = CSRF;
    if (path.startsWith('/api/validate') && S.validateAbort) {
      opts.signal = S.validateAbort.signal;
    }
    let resp;
    try {
      resp = await fetch(path, opts);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      offline();
      throw e;
    }
    let data = null;
    try { data = await resp.json(); } catch (e) { data = null; }
    if (resp.status === 403) offline(true);
    return { status: resp.status, data };
  }

  function offline(denied) {
    const b = $('offline');
    b.textContent = denied
      ? 'Phiên làm việc không còn hiệu lực. Hãy mở lại trang bằng địa chỉ mà lệnh gp-client web in ra.'
      : 'Mất kết nối với chương trình gp-client web (có thể chương trình đã dừng). ' +
        'Bản nháp đã lưu vẫn còn; hãy chạy lại lệnh gp-client web rồi mở địa chỉ mới.';
    b.hidden = false;
  }

  function q(period) {
    return '?period=' + encodeURIComponent(period);
  }

  /* --- the form's lists -------------------------------------------------- */

  function list(name) {
    return (S.form && Array.isArray(S.form[name])) ? S.form[name] : [];
  }

  function kindOf(code) {
    return list('kinds').find((k) => k.code === code);
  }

  function periodRules() {
    return S.form.periods[S.period.kind];
  }

  // Sections the period's report may have.
  function sections() {
    return list('sections').filter((s) =>
      !Array.isArray(s.periods) || s.periods.includes(S.period.kind));
  }

  /* --- the report as JSON ------------------------------------------------ */

  function emptyActivity() {
    const regular = list('occasions').find((o) => !o.from);
    const a = { sessions: 1, participants: 0, female: 0 };
    if (list('statuses').length) a.status = list('statuses')[0].code;
    if (regular) a.occasion = regular.code;
    return a;
  }

  function emptyReport() {
    return {
      unit: S.unit, period: S.period.id, reporter: {},
      activities: [emptyActivity()], indicators: {}, narrative: {}
    };
  }

  // A report read from elsewhere, in the shape the page edits.
  function normalise(r) {
    r = (r && typeof r === 'object') ? r : {};
    r.unit = S.unit;
    r.period = S.period.id;
    delete r.id;
    if (!r.reporter || typeof r.reporter !== 'object') r.reporter = {};
    if (!Array.isArray(r.activities)) r.activities = [];
    if (Array.isArray(r.indicators)) {
      const o = {};
      for (const i of r.indicators) {
        if (i && i.code) o[i.code] = { total: i.total, female: i.female };
      }
      r.indicators = o;
    }
    if (!r.indicators || typeof r.indicators !== 'object') r.indicators = {};
    if (!r.narrative || typeof r.narrative !== 'object') r.narrative = {};
    return r;
  }

  /* --- fields ------------------------------------------------------------ */

  let uid = 0;

  // Where a field's errors are said; read out when they change.
  function errorSlot(field) {
    return el('p', { class: 'err', id: 'err-' + (++uid), dataset: { errFor: field }, hidden: true,
      'aria-live': 'polite' });
  }

  // A labelled control bound to one place in the report. get/set read
  // and write the report; field is the C name of the value.
  function control(o) {
    const id = 'f-' + (++uid);
    let input;
    if (o.type === 'select') {
      input = el('select', { id });
      input.append(el('option', { value: '', text: o.placeholder || '— Chọn —' }));
      for (const e of o.options) input.append(el('option', { value: e.code, text: e.label }));
    } else if (o.type === 'textarea') {
      input = el('textarea', { id, rows: o.rows || 3, maxlength: o.maxlength });
    } else if (o.type === 'number') {
      input = el('input', { id, type: 'number', min: o.min, max: o.max, step: 1, inputmode: 'numeric' });
      input.addEventListener('keydown', (ev) => {
        // Whole numbers, never negative.
        if (['-', '+', 'e', 'E', '.', ','].includes(ev.key)) ev.preventDefault();
      });
    } else {
      input = el('input', { id, type: o.type || 'text', maxlength: o.maxlength, min: o.min, max: o.max,
        placeholder: o.placeholder });
    }
    input.dataset.field = o.field;
    const v = o.get();
    input.value = (v === undefined || v === null) ? '' : String(v);
    const err = errorSlot(o.field);
    const hint = o.hint ? el('p', { class: 'hint', id: 'h-' + id, text: o.hint }) : null;
    input.setAttribute('aria-describedby', [hint && hint.id, err.id].filter(Boolean).join(' '));
    if (o.required) input.setAttribute('aria-required', 'true');
    const onChange = () => {
      let val = input.value;
      if (o.type === 'number') {
        val = val === '' ? null : (/^\d+$/.test(val) ? Number(val) : null);
        if (input.value !== '' && val === null) input.value = '';
      }
      o.set(val);
      S.touched.add(o.field);
      if (o.after) o.after(val);
      changed();
    };
    input.addEventListener(o.type === 'select' ? 'change' : 'input', onChange);
    input.addEventListener('blur', () => { S.touched.add(o.field); showVerdict(); });
    const label = el('label', { for: id }, [o.label, o.required ? el('span', { class: 'req', text: ' *', 'aria-hidden': 'true' }) : null]);
    return el('div', { class: 'field' + (o.wide ? ' wide' : '') + (o.type === 'textarea' ? ' text' : '') }, [label, hint, input, err]);
  }

  // Text that is left out of the report when empty.
  function setText(obj, key) {
    return (v) => { if (v === '' || v === null) delete obj[key]; else obj[key] = v; };
  }

  /* --- the report's parts ------------------------------------------------ */

  function renderReporter() {
    const r = S.report.reporter;
    const box = $('reporter');
    clear(box);
    box.append(
      control({ label: 'Họ và tên', field: 'reporter.name', maxlength: 200, get: () => r.name, set: setText(r, 'name') }),
      control({ label: 'Chức vụ', field: 'reporter.position', maxlength: 200, get: () => r.position, set: setText(r, 'position') }),
      control({ label: 'Số điện thoại', field: 'reporter.phone', type: 'tel', maxlength: 200, get: () => r.phone, set: setText(r, 'phone') }));
  }

  // The unit's own plan implementing the province's.
  function renderPlan() {
    const box = $('plan');
    clear(box);
    const p = Object.assign({}, S.report.plan);
    const set = (key) => (v) => {
      setText(p, key)(v);
      if (Object.keys(p).length) S.report.plan = Object.assign({}, p); else delete S.report.plan;
    };
    box.append(
      control({ label: 'Số kế hoạch', field: 'plan.number', maxlength: 200, placeholder: 'Ví dụ: 12/KH-LĐLĐ',
        get: () => p.number, set: set('number') }),
      control({ label: 'Ngày ban hành', field: 'plan.date', type: 'date', get: () => p.date, set: set('date') }));
  }

  // The days a date of an activity may take: the coverage for one done
  // (and not after today), up to planned_until for one planned.
  function dateBounds(a) {
    const rules = periodRules();
    const planned = a.status && a.status !== 'done';
    let max = planned ? rules.planned_until : rules.to;
    if (!planned && S.today && S.today < max) max = S.today;
    return { min: rules.from, max };
  }

  function activityTitle(a, i) {
    return `Hoạt động ${i + 1}` + (a.title ? `: ${a.title}` : '');
  }

  function renderActivity(a, i) {
    const f = (name) => `activities[${i}].${name}`;
    const b = dateBounds(a);
    const legend = el('legend', { text: activityTitle(a, i) });
    const fieldset = el('fieldset', { class: 'activity', dataset: { index: i } });
    let date, endDate, female, outputs;

    const boundDates = () => {
      const nb = dateBounds(a);
      for (const d of [date, endDate]) { d.min = nb.min; d.max = nb.max; }
    };
    const kindChanged = () => {
      if (outputs) outputs.hidden = !(kindOf(a.kind) || {}).media;
    };

    const grid = el('div', { class: 'grid' });
    const dateField = control({ label: 'Từ ngày', field: f('date'), type: 'date', required: true, min: b.min, max: b.max,
      get: () => a.date, set: (v) => { a.date = v || ''; } });
    const endField = control({ label: 'Đến ngày', field: f('end_date'), type: 'date', min: b.min, max: b.max,
      get: () => a.end_date, set: setText(a, 'end_date') });
    date = dateField.querySelector('input');
    endDate = endField.querySelector('input');
    const femaleField = control({ label: 'Trong đó: nữ', field: f('female'), type: 'number', min: 0, max: a.participants,
      get: () => a.female, set: (v) => { a.female = v; } });
    female = femaleField.querySelector('input');
    grid.append(
      control({ label: 'Tên hoạt động', field: f('title'), wide: true, required: true, maxlength: 500,
        get: () => a.title, set: (v) => { a.title = v; legend.textContent = activityTitle(a, i); } }),
      control({ label: 'Nội dung (phần của kế hoạch)', field: f('area'), type: 'select', options: list('areas'), required: true, wide: true,
        get: () => a.area, set: setText(a, 'area') }),
      control({ label: 'Hình thức', field: f('kind'), type: 'select', options: list('kinds'), required: true,
        get: () => a.kind, set: setText(a, 'kind'), after: kindChanged }),
      control({ label: 'Nhân dịp', field: f('occasion'), type: 'select', options: list('occasions'), required: true,
        get: () => a.occasion, set: setText(a, 'occasion') }),
      control({ label: 'Tình trạng', field: f('status'), type: 'select', options: list('statuses'), required: true,
        get: () => a.status, set: setText(a, 'status'), after: boundDates }));
    if (list('audiences').length) {
      grid.append(control({ label: 'Đối tượng', field: f('audience'), type: 'select', options: list('audiences'),
        get: () => a.audience, set: setText(a, 'audience') }));
    }
    if (list('topics').length) {
      grid.append(control({ label: 'Chủ đề', field: f('topic'), type: 'select', options: list('topics'),
        get: () => a.topic, set: setText(a, 'topic') }));
    }
    grid.append(
      dateField, endField,
      control({ label: 'Số buổi', field: f('sessions'), type: 'number', min: 1, required: true,
        get: () => a.sessions, set: (v) => { a.sessions = v; } }),
      control({ label: 'Số người tham gia', field: f('participants'), type: 'number', min: 0,
        get: () => a.participants, set: (v) => { a.participants = v; },
        after: (v) => { female.max = v === null ? '' : v; } }),
      femaleField);
    if (list('outputs').length) {
      // Only a media kind has output counts: none are sent until typed,
      // and none stay once emptied.
      outputs = el('div', { class: 'grid outputs wide' });
      for (const o of list('outputs')) {
        outputs.append(control({ label: o.label, field: f('outputs') + '.' + o.code, type: 'number', min: 0,
          get: () => (a.outputs || {})[o.code],
          set: (v) => {
            const c = Object.assign({}, a.outputs);
            if (v === null) delete c[o.code]; else c[o.code] = v;
            if (Object.keys(c).length) a.outputs = c; else delete a.outputs;
          } }));
      }
      grid.append(outputs);
      kindChanged();
    }
    grid.append(
      control({ label: 'Địa điểm', field: f('location'), wide: true, maxlength: 200,
        get: () => a.location, set: setText(a, 'location') }),
      control({ label: 'Ghi chú', field: f('notes'), type: 'textarea', wide: true, rows: 2, maxlength: 2000,
        get: () => a.notes, set: setText(a, 'notes') }));

    const tools = el('div', { class: 'tools' }, [
      el('button', { type: 'button', class: 'secondary small', text: 'Sao chép',
        'aria-label': `Sao chép hoạt động ${i + 1}`, onclick: () => copyActivity(i) }),
      el('button', { type: 'button', class: 'danger small', text: 'Xóa',
        'aria-label': `Xóa hoạt động ${i + 1}`, onclick: () => removeActivity(i) })
    ]);
    fieldset.append(legend, errorSlot(`activities[${i}]`), grid, tools);
    return fieldset;
  }

  function renderActivities(focus) {
    const box = $('activities');
    clear(box);
    S.report.activities.forEach((a, i) => box.append(renderActivity(a, i)));
    $('no-activities').hidden = S.report.activities.length > 0;
    if (focus !== undefined) {
      const card = box.querySelector(`fieldset[data-index="${focus}"]`);
      const target = card ? card.querySelector('input, select, textarea') : $('add-activity');
      if (target) target.focus();
    }
  }

  function addActivity() {
    S.report.activities.push(emptyActivity());
    renderActivities(S.report.activities.length - 1);
    changed();
  }

  function copyActivity(i) {
    const copy = JSON.parse(JSON.stringify(S.report.activities[i]));
    S.report.activities.splice(i + 1, 0, copy);
    shiftTouched(i + 1, 1);
    renderActivities(i + 1);
    changed();
  }

  function removeActivity(i) {
    const a = S.report.activities[i];
    const name = a.title ? `“${a.title}”` : `số ${i + 1}`;
    if (!window.confirm(`Xóa hoạt động ${name}?`)) return;
    S.report.activities.splice(i, 1);
    shiftTouched(i, -1);
    renderActivities(Math.min(i, S.report.activities.length - 1));
    changed();
  }

  // Field names carry the index of an activity: keep what was touched
  // with its activity when others move.
  function shiftTouched(from, by) {
    const moved = new Set();
    for (const t of S.touched) {
      const m = /^activities\[(\d+)\](.*)$/.exec(t);
      if (!m) { moved.add(t); continue; }
      const n = +m[1];
      if (by < 0 && n === from) continue;
      moved.add(n >= from ? `activities[${n + by}]${m[2]}` : t);
    }
    S.touched = moved;
  }

  function renderIndicators() {
    const box = $('indicators');
    clear(box);
    const inds = S.report.indicators;
    const rows = list('indicators').map((ind) => {
      const v = () => inds[ind.code] || {};
      const set = (key) => (val) => {
        const o = Object.assign({}, inds[ind.code]);
        if (val === null) delete o[key]; else o[key] = val;
        if (Object.keys(o).length === 0) delete inds[ind.code];
        else inds[ind.code] = o;
      };
      const name = `indicators.${ind.code}`;
      const total = control({ label: ind.label, field: name + '.total', type: 'number', min: 0,
        get: () => v().total, set: set('total'),
        after: (val) => { if (female) female.querySelector('input').max = val === null ? '' : val; } });
      total.classList.add('ind-total');
      let female = null;
      if (ind.female_share) {
        female = control({ label: 'Trong đó: nữ', field: name + '.female', type: 'number', min: 0, max: v().total,
          get: () => v().female, set: set('female') });
        female.classList.add('ind-female');
        female.querySelector('label').append(el('span', { class: 'sr', text: ` (${ind.label})` }));
      }
      return el('div', { class: 'ind-row' }, [total, female || el('div', { class: 'ind-none', text: 'không tính số nữ' }), errorSlot(name)]);
    });
    box.append(...rows);
  }

  function renderNarrative() {
    const box = $('narrative');
    clear(box);
    for (const t of list('narrative')) {
      box.append(control({ label: t.label, field: `narrative.${t.code}`, type: 'textarea', wide: true, rows: 4,
        required: !!t.required, hint: t.hint, maxlength: 20000,
        get: () => S.report.narrative[t.code], set: setText(S.report.narrative, t.code) }));
    }
  }

  function renderSections() {
    const box = $('sections');
    clear(box);
    for (const s of sections()) {
      const id = 'sec-' + s.code;
      const body = el('div', { class: 'grid' });
      const get = () => S.report[s.code] || {};
      for (const fl of s.fields || []) {
        body.append(control({ label: fl.label, field: `${s.code}.${fl.code}`, type: 'textarea', wide: true, rows: 3,
          required: !!fl.required, hint: fl.hint, maxlength: 20000, get: () => get()[fl.code],
          set: (v) => {
            const o = Object.assign({}, S.report[s.code]);
            setText(o, fl.code)(v);
            if (Object.keys(o).length) S.report[s.code] = o; else delete S.report[s.code];
          } }));
      }
      const card = el('section', { class: 'card', 'aria-labelledby': id }, [
        el('h2', { id, text: s.label }), errorSlot(s.code)]);
      if (!s.required) {
        const has = !!S.report[s.code];
        const cb = el('input', { type: 'checkbox', id: id + '-on', checked: has });
        cb.addEventListener('change', () => {
          body.hidden = !cb.checked;
          if (!cb.checked) delete S.report[s.code];
          changed();
        });
        body.hidden = !has;
        card.append(el('p', { class: 'check' }, [cb, ' ', el('label', { for: id + '-on', text: 'Đơn vị báo cáo phần này (không bắt buộc)' })]));
      }
      card.append(body);
      box.append(card);
    }
  }

  function renderReport() {
    const planned = list('statuses').find((s) => s.code === 'planned');
    $('planned-label').textContent = planned ? planned.label : '';
    renderReporter();
    renderPlan();
    renderActivities();
    renderIndicators();
    renderNarrative();
    renderSections();
    showVerdict();
    document.body.dataset.period = S.period.id;
  }

  /* --- errors and warnings ---------------------------------------------- */

  // The control a C field name points at: itself, or the first control
  // under it ("indicators.members" → its total).
  function controlOf(field) {
    const all = document.querySelectorAll('[data-field]');
    for (const c of all) if (c.dataset.field === field) return c;
    for (const c of all) if (c.dataset.field.startsWith(field + '.') || c.dataset.field.startsWith(field + '[')) return c;
    return null;
  }

  function slotOf(field) {
    const c = controlOf(field);
    if (c) {
      const slot = c.parentElement.querySelector('.err');
      if (slot) return slot;
    }
    for (const s of document.querySelectorAll('[data-err-for]')) if (s.dataset.errFor === field) return s;
    return null;
  }

  // A field is judged once the user has been in it, or everywhere once
  // a report was loaded or sending was asked for.
  function shown(field) {
    if (S.showAll) return true;
    for (const t of S.touched) if (t === field || t.startsWith(field + '.')) return true;
    return false;
  }

  function showVerdict() {
    const v = S.verdict;
    const errList = $('error-list');
    const warnList = $('warn-list');
    clear(errList);
    clear(warnList);
    const pending = [];
    const bySlot = new Map();
    const invalid = new Set();
    for (const e of (v ? v.errors : [])) {
      const slot = slotOf(e.field);
      const visible = shown(e.field);
      if (slot && visible) {
        const msgs = bySlot.get(slot) || [];
        msgs.push(e.message);
        bySlot.set(slot, msgs);
        const c = controlOf(e.field);
        if (c && c.dataset.field === e.field) invalid.add(c);
      }
      if (!slot || visible) pending.push(e);
    }
    // Only what changed is touched, so that a screen reader hears a
    // field's error when it comes or changes, not at every keystroke.
    for (const slot of document.querySelectorAll('.err')) {
      const text = (bySlot.get(slot) || []).join('; ');
      if (slot.textContent !== text) slot.textContent = text;
      if (slot.hidden !== (text === '')) slot.hidden = text === '';
    }
    for (const c of document.querySelectorAll('[data-field]')) {
      if (invalid.has(c)) {
        if (c.getAttribute('aria-invalid') !== 'true') c.setAttribute('aria-invalid', 'true');
      } else if (c.hasAttribute('aria-invalid')) {
        c.removeAttribute('aria-invalid');
      }
    }
    if (!v) { $('summary').textContent = ''; errList.hidden = warnList.hidden = true; return; }
    const n = v.errors.length + (v.more || 0);
    const r = S.review;
    if (n === 0 && r && ((r.submitted && r.review_state === 'accepted') || r.locked)) {
      $('summary').textContent = r.locked && !(r.submitted && r.review_state === 'accepted')
        ? 'Kỳ báo cáo đã khóa sổ; tỉnh không nhận bản gửi mới.'
        : 'Tỉnh đã chấp nhận báo cáo kỳ này; không cần gửi lại.';
      $('summary').className = 'ok';
    } else if (n === 0 && S.queuedAs === JSON.stringify(S.report)) {
      $('summary').textContent = 'Báo cáo này đang chờ gửi trong hộp thư đi; không cần gửi lại.';
      $('summary').className = 'ok';
    } else if (n === 0 && S.sentAs && S.sentAs.json === JSON.stringify(S.report) && r &&
        r.submitted && r.review_state === 'returned' && r.revision === S.sentAs.revision) {
      $('summary').textContent = `Chưa sửa gì so với lần nộp thứ ${r.revision} bị trả lại: ` +
        'hãy sửa theo ý kiến của tỉnh rồi gửi lại.';
      $('summary').className = 'warn';
    } else if (n === 0 && S.sentAs && S.sentAs.json === JSON.stringify(S.report)) {
      $('summary').textContent = `Đây là báo cáo đã gửi lần ${S.sentAs.revision}. ` +
        'Nếu sửa, bấm “Gửi báo cáo” để gửi thành lần mới.';
      $('summary').className = 'ok';
    } else if (n === 0) {
      $('summary').textContent = 'Báo cáo hợp lệ, có thể gửi.';
      $('summary').className = 'ok';
    } else {
      $('summary').textContent = `Còn ${num(n)} mục chưa điền hoặc chưa đúng.`;
      $('summary').className = 'bad';
    }
    for (const e of pending.slice(0, 8)) {
      const c = controlOf(e.field);
      const text = `${describe(e.field)}: ${e.message}`;
      errList.append(el('li', {}, c
        ? el('a', { href: '#' + c.id, text, onclick: (ev) => { ev.preventDefault(); c.focus(); } })
        : text));
    }
    if (pending.length > 8) errList.append(el('li', { text: `… và ${num(pending.length - 8)} mục khác` }));
    const later = v.errors.length - pending.length;
    if (later > 0) {
      errList.append(el('li', { class: 'later', text: pending.length
        ? `và ${num(later)} mục chưa điền ở các phần chưa sửa tới`
        : `${num(later)} mục chưa điền; các mục này sẽ được chỉ ra khi bấm “Gửi báo cáo”` }));
    }
    errList.hidden = errList.childElementCount === 0;
    $('verdict-more').classList.toggle('plain', errList.hidden && v.warnings.length === 0);
    for (const w of v.warnings) {
      warnList.append(el('li', { text: `Lưu ý: ${w.field ? describe(w.field) + ': ' : ''}${w.message}` }));
    }
    warnList.hidden = v.warnings.length === 0;
  }

  // A field name in words: the label of its control.
  const PARTS = {
    period: 'Kỳ báo cáo', unit: 'Đơn vị', reporter: 'Người báo cáo', activities: 'Các hoạt động',
    indicators: 'Số liệu', narrative: 'Đánh giá chung', plan: 'Kế hoạch thực hiện'
  };

  function describe(field) {
    if (PARTS[field]) return PARTS[field];
    const m = /^activities\[(\d+)\]/.exec(field);
    const c = controlOf(field);
    let label = '';
    if (c && (c.dataset.field === field || !m)) {
      const l = document.querySelector(`label[for="${c.id}"]`);
      label = l ? l.firstChild.textContent : '';
    }
    if (m) return `Hoạt động ${+m[1] + 1}` + (label ? ` – ${label}` : '');
    const sec = sections().find((x) => x.code === field);
    return label || (sec ? sec.label : field);
  }

  /* --- checking and saving ---------------------------------------------- */

  function changed() {
    S.dirty = true;
    if ($('start').hidden && S.period) renderStart();
    $('saved').textContent = 'Có thay đổi chưa lưu.';
    clearTimeout(S.validateTimer);
    S.validateTimer = setTimeout(validate, VALIDATE_MS);
    clearTimeout(S.saveTimer);
    S.saveTimer = setTimeout(() => saveDraft(false), SAVE_MS);
  }

  async function validate() {
    if (!S.report) return null;
    if (S.validateAbort) S.validateAbort.abort();
    S.validateAbort = new AbortController();
    const seq = ++S.validateSeq;
    try {
      const { status, data } = await api('POST', '/api/validate' + q(S.period.id), S.report);
      if (seq !== S.validateSeq || status !== 200 || !data) return null;
      S.verdict = data;
      document.body.dataset.validated = String(seq);
      showVerdict();
      return data;
    } catch (e) {
      return null;
    }
  }

  // leaving: the page is closing, the request must outlive it (which
  // browsers allow for bodies under 64 KiB).
  async function saveDraft(now, leaving) {
    clearTimeout(S.saveTimer);
    if (!S.report || (!S.dirty && !now)) return;
    const period = S.period.id;
    S.dirty = false;
    try {
      const { status, data } = await api('PUT', '/api/draft' + q(period), S.report,
        leaving && JSON.stringify(S.report).length < 60000);
      if (status === 200 && data) {
        S.draftAt = data.saved_at;
        if (S.period.id === period) {
          $('saved').textContent = `Đã lưu nháp lúc ${when(data.saved_at)}.`;
        }
        const p = S.periods.find((x) => x.id === period);
        if (p) p.draft = data.saved_at;
      } else {
        S.dirty = true;
        $('saved').textContent = 'Chưa lưu được bản nháp: ' + ((data && data.error) || status);
      }
    } catch (e) {
      S.dirty = true;
    }
  }

  /* --- sending ------------------------------------------------------------ */

  async function submit() {
    if (S.sending || !S.report) return;
    S.showAll = true;
    clearTimeout(S.validateTimer);
    const v = await validate();
    if (!v) return;
    if (!v.valid) {
      showVerdict();
      const first = v.errors.length ? controlOf(v.errors[0].field) : null;
      if (first) first.focus(); else $('summary').focus();
      return;
    }
    if (!window.confirm(`Gửi ${S.period.label} của ${unitTitle()} lên Liên đoàn Lao động tỉnh?`)) return;
    await saveDraft(true);
    S.sending = true;
    $('submit').disabled = true;
    $('submit').textContent = 'Đang gửi…';
    try {
      const { status, data } = await api('POST', '/api/submit' + q(S.period.id), S.report);
      if (status === 422 && data) {
        S.verdict = data;
        showVerdict();
      } else {
        showAnswer(data);
      }
    } catch (e) {
      // offline() has said it.
    } finally {
      S.sending = false;
      $('submit').textContent = 'Gửi báo cáo';
      lockSubmit(S.review);
    }
  }

  async function retry() {
    const { data } = await api('POST', '/api/retry' + q(S.period.id), {});
    if (data && data.status) showAnswer(data); else loadStatus();
  }

  function statusBox(kind, heading, lines, extra) {
    const box = $('status');
    clear(box);
    box.className = 'card status ' + kind;
    box.append(el('h2', { text: heading }));
    for (const l of lines) if (l) box.append(el('p', { text: l }));
    for (const e of [].concat(extra || [])) if (e) box.append(e);
    box.hidden = false;
  }

  // What a program said, in its own words (often English), for whoever
  // helps on the phone: small, after the sentence that matters.
  function detail(text) {
    return text ? el('p', { class: 'detail', text: 'Chi tiết kỹ thuật: ' + text }) : null;
  }

  function receiptLines(a) {
    return [
      `Liên đoàn Lao động tỉnh đã nhận lần gửi thứ ${a.revision} lúc ${when(a.received_at)}` +
        (a.late ? ' (nộp sau hạn).' : '.'),
      `Mã biên nhận: ${a.receipt}`
    ];
  }

  // The answer of /api/submit or /api/retry: the object gp-client
  // submit --json prints.
  function showAnswer(a) {
    clearTimeout(S.pollTimer);
    if (!a) {
      statusBox('bad', 'Không gửi được báo cáo', ['gp-client web không trả lời; hãy thử lại.']);
    } else if (a.status === 'accepted') {
      const lines = a.duplicate
        ? [`Báo cáo này đã được gửi trước đó (lần gửi thứ ${a.revision}); tỉnh không ghi thêm bản nào.`, `Mã biên nhận: ${a.receipt}`]
        : receiptLines(a);
      if (a.back_under_review) {
        lines.push('Báo cáo đã sửa được gửi tới tỉnh; tỉnh sẽ xem xét lại.');
      }
      lines.push('Biên nhận có chữ ký của tỉnh được lưu trên máy này (lệnh gp-client receipts).');
      // The server's warnings, said in Vietnamese by gp-client-web from
      // their codes (notes): its lateness is judged with the unit's
      // extension, which the checks on this page do not know.
      for (const n of (a.notes || [])) {
        lines.push(`Lưu ý: ${n.field ? describe(n.field) + ': ' : ''}${n.message}`);
      }
      statusBox('good', a.duplicate ? 'Báo cáo đã có ở tỉnh' : 'Đã gửi báo cáo', lines);
      S.dirty = false;
      S.draftAt = null;
      S.last = { revision: a.revision, received_at: a.received_at, receipt: a.receipt,
        report: JSON.parse(JSON.stringify(S.report)) };
      S.sentAs = { json: JSON.stringify(S.report), revision: a.revision };
      showVerdict();
      $('saved').textContent = 'Đã gửi; bản nháp không còn cần nữa.';
      setSource(`Báo cáo đã gửi lần ${a.revision}. Nếu cần sửa, sửa tiếp rồi gửi lại: tỉnh nhận thành lần gửi mới.`);
      renderStart();
      const p = S.periods.find((x) => x.id === S.period.id);
      if (p) { p.draft = null; p.revision = a.revision; p.waiting = 0; }
      refreshPeriodLabels();
      renderDeadline();
      loadStatus(true);
    } else if (a.status === 'queued') {
      S.queuedAs = JSON.stringify(S.report);
      showQueued(a.reason || a.message);
      showVerdict();
    } else if (a.status === 'refused') {
      S.verdict = { valid: false, errors: a.errors || [], warnings: [], more: 0 };
      S.showAll = true;
      showVerdict();
      if (a.code === 'locked' || a.code === 'final') {
        statusBox('bad', 'Tỉnh không nhận thêm báo cáo cho kỳ này', [
          'Báo cáo kỳ này đã được tỉnh chấp nhận, hoặc kỳ báo cáo đã khóa sổ. ' +
          'Nếu cần sửa, hãy đề nghị LĐLĐ tỉnh mở lại; nội dung đang sửa vẫn được giữ trong bản nháp.'
        ], detail(a.message));
      } else {
        statusBox('bad', 'Tỉnh không nhận báo cáo', [(a.errors || []).length
          ? 'Hãy sửa các mục được chỉ ra rồi gửi lại.' : 'Hãy liên hệ LĐLĐ tỉnh.'], detail(a.message));
      }
    } else {
      statusBox('bad', 'Không gửi được báo cáo', ['Báo cáo chưa được gửi; nội dung vẫn còn trên trang này. Hãy thử lại.'],
        detail(a.message || a.error));
    }
    $('status').focus();
  }

  function showQueued(reason) {
    const again = el('button', { type: 'button', class: 'secondary', text: 'Gửi lại ngay', onclick: retry });
    statusBox('wait', 'Báo cáo đang chờ gửi', [
      'Chưa kết nối được máy chủ của tỉnh, nên báo cáo đang chờ gửi trong hộp thư đi của máy này; ' +
      'không cần nhập lại. Khi có mạng, bấm “Gửi lại ngay” (hoặc chạy lệnh gp-client flush): ' +
      'báo cáo chỉ được gửi một lần.'
    ], [again, detail(reason)]);
    const p = S.periods.find((x) => x.id === S.period.id);
    if (p) { p.waiting = 1; refreshPeriodLabels(); }
    clearTimeout(S.pollTimer);
    S.pollTimer = setTimeout(loadStatus, POLL_MS);
  }

  // The outbox and receipts of this machine, and the province's review.
  // reviewOnly: the status box already says what sending did.
  async function loadStatus(reviewOnly) {
    if (!reviewOnly) clearTimeout(S.pollTimer);
    const period = S.period.id;
    const { status, data } = await api('GET', '/api/status' + q(period));
    if (status !== 200 || !data || S.period.id !== period) return;
    if (data.unit_name) setUnit(data.unit_name);
    showReview(data.review, data.offline);
    if (reviewOnly) return;
    const waiting = data.outbox.filter((e) => e.state !== 'failed');
    const failed = data.outbox.filter((e) => e.state === 'failed');
    if (waiting.length) {
      showQueued(waiting[waiting.length - 1].last_error);
    } else if (failed.length) {
      statusBox('bad', 'Tỉnh không nhận báo cáo', [failed[failed.length - 1].last_error,
        'Hãy sửa rồi gửi lại.']);
    } else if (data.receipt && data.review && data.review.submitted &&
        data.review.revision >= data.receipt.revision) {
      // The review card says what became of it, receipt included.
      $('status').hidden = true;
    } else if (data.receipt) {
      statusBox('good', `Đã gửi lần ${data.receipt.revision}`, receiptLines(data.receipt));
      const p = S.periods.find((x) => x.id === period);
      if (p && p.waiting) { p.waiting = 0; p.revision = data.receipt.revision; refreshPeriodLabels(); }
    } else {
      $('status').hidden = true;
    }
  }

  /* --- the province's review ------------------------------------------- */

  const ACTIONS = { 'return': 'trả lại', accept: 'chấp nhận', reopen: 'mở lại' };

  // A decision's comment: "Ý kiến của LĐLĐ tỉnh khi trả lại lần nộp
  // thứ 1 (lúc 09:30 ngày 5/12/2026):", then the province's words.
  function comment(d) {
    const what = `${ACTIONS[d.action] || d.action} lần nộp thứ ${d.revision}`;
    const at = d.decided_at ? ` (lúc ${when(d.decided_at)})` : '';
    return el('div', { class: 'comment' }, [
      el('p', { class: 'comment-head', text: `Ý kiến của LĐLĐ tỉnh khi ${what}${at}:` }),
      el('blockquote', { text: d.comment || '' })]);
  }

  // The review card: what the province decided on the latest revision,
  // and what to do; or that the server could not be asked.
  function showReview(r, offline) {
    const box = $('review');
    clear(box);
    S.review = r;
    const p = S.periods.find((x) => x.id === S.period.id);
    if (p) { p.review = r && r.submitted ? r.review_state : null; refreshPeriodLabels(); }
    lockSubmit(r);
    renderDeadline();
    showVerdict();
    const card = (kind, heading, lines, extra) => {
      box.className = 'card review ' + kind;
      box.append(el('h2', { text: heading }));
      for (const l of lines) if (l) box.append(el('p', { text: l }));
      for (const e of [].concat(extra || [])) if (e) box.append(e);
      box.hidden = false;
    };
    document.body.dataset.review = offline ? 'offline' : r && r.submitted ? r.review_state || 'none' : 'none';
    if (offline) {
      card('wait', offline.network ? 'Chưa kết nối được máy chủ của tỉnh' : 'Không hỏi được máy chủ của tỉnh', [
        'Vì vậy chưa biết tỉnh đã xem xét báo cáo kỳ này hay chưa, và có ý kiến gì. ' +
        'Vẫn điền, lưu nháp và gửi báo cáo được như thường: khi chưa có mạng, báo cáo chờ trong ' +
        'hộp thư đi của máy này và được gửi khi có mạng.'
      ], detail(offline.reason));
      return;
    }
    if (!r) { box.hidden = true; return; }
    const comments = r.comments || [];
    const receipt = r.submitted && r.receipt ? el('p', { class: 'detail', text:
      `Lần nộp thứ ${r.revision}: tỉnh nhận lúc ${when(r.received_at)}${r.late ? ' (nộp sau hạn)' : ''}; ` +
      `mã biên nhận ${r.receipt}.` }) : null;
    const lastReturn = comments.find((d) => d.action === 'return');
    const older = (shown) => {
      const rest = comments.filter((d) => d !== shown);
      if (!rest.length) return null;
      return el('details', { class: 'older' }, [
        el('summary', { text: `Các ý kiến trước của tỉnh (${rest.length})` }),
        ...rest.map((d) => comment(d))]);
    };
    if (r.submitted && r.review_state === 'returned') {
      card('bad', `Tỉnh đã trả lại báo cáo (lần nộp thứ ${r.revision}): cần sửa và gửi lại`, [], [
        lastReturn ? comment(lastReturn) : null,
        el('p', { class: 'todo', text: 'Việc cần làm: sửa báo cáo theo ý kiến trên ngay trên trang này, ' +
          'rồi bấm “Gửi báo cáo”. Tỉnh sẽ xem xét lại lần nộp mới.' }),
        older(lastReturn), receipt]);
    } else if (r.submitted && r.review_state === 'accepted') {
      const accept = comments.find((d) => d.action === 'accept' && d.revision === r.revision);
      card('good', `Tỉnh đã chấp nhận báo cáo (lần nộp thứ ${r.revision})`, [
        'Đây là báo cáo chính thức của đơn vị cho kỳ này; không cần gửi lại. ' +
        'Nếu cần sửa, hãy đề nghị LĐLĐ tỉnh mở lại báo cáo: trước khi tỉnh mở lại, tỉnh không nhận bản gửi mới.'
      ], [accept ? comment(accept) : null, older(accept), receipt]);
    } else if (r.submitted && comments.length && comments[0].action === 'reopen' &&
        comments[0].revision === r.revision) {
      card('info', `Tỉnh đã mở lại báo cáo (lần nộp thứ ${r.revision})`, [], [
        comment(comments[0]),
        el('p', { class: 'todo', text: 'Báo cáo không còn là bản chính thức. Nếu tỉnh đề nghị sửa, ' +
          'hãy sửa ngay trên trang này rồi bấm “Gửi báo cáo”.' }),
        older(comments[0]), receipt]);
    } else if (r.submitted) {
      card('info', `Tỉnh đã nhận báo cáo (lần nộp thứ ${r.revision}) và đang xem xét`, [
        'Chưa có kết quả xem xét. Khi tỉnh trả lại hoặc chấp nhận báo cáo, kết quả và ý kiến của tỉnh sẽ hiện ở đây.'
      ], [older(null), receipt]);
    } else if (r.locked) {
      card('bad', 'Kỳ báo cáo này đã khóa sổ', [
        'Tỉnh không nhận báo cáo cho kỳ này nữa. Nếu đơn vị cần nộp, hãy liên hệ LĐLĐ tỉnh để mở khóa sổ.'
      ]);
    } else {
      box.hidden = true;
    }
  }

  // An accepted report, or a period locked, takes no new revision: the
  // button says so instead of sending what the province will refuse.
  function lockSubmit(r) {
    const b = $('submit');
    const final = r && ((r.submitted && r.review_state === 'accepted') || r.locked);
    b.disabled = !!final;
    b.title = final ? 'Tỉnh không nhận bản gửi mới cho kỳ này (xem ở đầu trang).' : '';
  }

  function unitTitle() {
    return S.unitName ? S.unitName : `đơn vị ${S.unit}`;
  }

  // The header: the unit's name as the province's registry has it, and
  // its code, small.
  function setUnit(name) {
    if (name) S.unitName = name;
    const u = $('unit');
    clear(u);
    if (S.unitName) {
      u.append(el('span', { class: 'unit-name', text: S.unitName }), ' ',
        el('span', { class: 'unit-code', text: `(mã đơn vị: ${S.unit})` }));
    } else {
      u.append(`Đơn vị: ${S.unit}`);
    }
  }

  /* --- periods ------------------------------------------------------------ */

  function renderDeadline() {
    const p = S.period;
    const left = daysBetween(S.today, p.due);
    // Once the unit has sent the report, the deadline is history: no
    // alarm in red over a report already in the province's hands.
    const sent = p.revision || (S.review && S.review.submitted);
    let text;
    if (sent) text = `Hạn nộp: ${day(p.due)}. Đơn vị đã nộp báo cáo kỳ này.`;
    else if (left > 0) text = `Hạn nộp: ${day(p.due)} — còn ${num(left)} ngày.`;
    else if (left === 0) text = `Hạn nộp: hôm nay, ${day(p.due)}.`;
    else text = `Hạn nộp: ${day(p.due)} — đã quá hạn ${num(left)} ngày. Báo cáo vẫn được nhận và ghi là nộp muộn.`;
    const d = $('deadline');
    d.textContent = text;
    d.className = 'deadline ' + (sent ? '' : left < 0 ? 'late' : left <= 7 ? 'soon' : '');
    $('period-heading').textContent = `Kỳ báo cáo: ${p.label}`;
  }

  function setSource(text) {
    $('source').textContent = text;
  }

  // Starting over is offered once there is something to leave: a
  // submitted revision, or a report that is not the empty one.
  function renderStart() {
    const last = $('start-last');
    last.hidden = !S.last;
    if (S.last) last.textContent = `báo cáo đã gửi lần ${S.last.revision}`;
    $('start').hidden = !S.last && S.origin === 'empty' && !S.dirty;
  }

  async function choosePeriod(id) {
    await saveDraft(false);
    clearTimeout(S.pollTimer);
    S.period = S.periods.find((p) => p.id === id);
    S.verdict = null;
    S.touched = new Set();
    S.showAll = false;
    S.last = null;
    S.sentAs = null;
    S.queuedAs = null;
    S.origin = 'empty';
    S.report = null;
    $('status').hidden = true;
    $('review').hidden = true;
    S.review = null;
    lockSubmit(null);
    delete document.body.dataset.review;
    $('saved').textContent = '';
    renderDeadline();
    setSource('Đang tải mẫu báo cáo…');
    const [form, draft] = await Promise.all([
      api('GET', '/api/form' + q(id)), api('GET', '/api/draft' + q(id))]);
    if (S.period.id !== id) return;
    if (form.status !== 200 || !form.data) {
      setSource('Không tải được mẫu báo cáo của kỳ này: ' + ((form.data && form.data.error) || form.status));
      return;
    }
    S.form = form.data;
    if (draft.status === 200 && draft.data) {
      S.report = normalise(draft.data.report);
      S.origin = 'draft';
      S.draftAt = draft.data.saved_at;
      S.showAll = true;
      setSource(`Đang sửa bản nháp đã lưu lúc ${when(draft.data.saved_at)}.`);
    }
    // The last submitted revision: a place to start, or to go back to.
    const lastP = api('GET', '/api/last' + q(id)).then(({ status, data }) => {
      if (S.period.id !== id) return;
      if (status === 200 && data && data.report) S.last = data;
      if (S.last && S.last.unit_name) setUnit(S.last.unit_name);
      if (!S.report) {
        if (S.last) {
          S.report = normalise(S.last.report);
          S.origin = 'last';
          S.sentAs = { json: JSON.stringify(S.report), revision: S.last.revision };
          S.showAll = true;
          setSource(`Đang sửa từ báo cáo đã gửi lần ${S.last.revision} (${when(S.last.received_at)})` +
            (S.last.source === 'local' ? ', bản lưu trên máy này.' : '.'));
        } else {
          S.report = emptyReport();
          setSource(status === 503
            ? 'Chưa kết nối được máy chủ của tỉnh để lấy báo cáo đã gửi; bắt đầu báo cáo mới.'
            : 'Bắt đầu báo cáo mới cho kỳ này.');
        }
        renderReport();
        validate();
      } else if (S.last && !S.sentAs &&
          same(S.report, normalise(JSON.parse(JSON.stringify(S.last.report))))) {
        // The draft is what was sent: say so, rather than "send it".
        S.sentAs = { json: JSON.stringify(S.report), revision: S.last.revision };
        showVerdict();
      }
      renderStart();
    });
    if (S.report) {
      renderReport();
      validate();
    } else {
      setSource('Đang lấy báo cáo đã gửi từ máy chủ của tỉnh…');
    }
    loadStatus();
    await lastP;
  }

  function startOver(fromLast) {
    const what = fromLast ? `báo cáo đã gửi lần ${S.last.revision}` : 'một báo cáo trống';
    if (!window.confirm(`Thay nội dung đang sửa bằng ${what}? Bản nháp hiện tại sẽ bị ghi đè.`)) return;
    S.report = fromLast ? normalise(JSON.parse(JSON.stringify(S.last.report))) : emptyReport();
    S.origin = fromLast ? 'last' : 'empty';
    if (fromLast) S.sentAs = { json: JSON.stringify(S.report), revision: S.last.revision };
    S.touched = new Set();
    S.showAll = fromLast;
    S.verdict = null;
    setSource(fromLast ? `Đang sửa từ báo cáo đã gửi lần ${S.last.revision}.` : 'Bắt đầu báo cáo mới cho kỳ này.');
    renderReport();
    changed();
  }

  function refreshPeriodLabels() {
    for (const o of $('period').options) {
      const p = S.periods.find((x) => x.id === o.value);
      if (p) o.textContent = periodLabel(p);
    }
  }

  const REVIEWED = { returned: 'bị trả lại', accepted: 'đã được chấp nhận', received: 'tỉnh đang xem xét' };

  function periodLabel(p) {
    const bits = [p.label];
    if (p.waiting) bits.push('đang chờ gửi');
    else if (p.review && REVIEWED[p.review]) bits.push(REVIEWED[p.review]);
    else if (p.revision) bits.push(`đã gửi lần ${p.revision}`);
    if (p.draft) bits.push('có bản nháp');
    return bits.join(' — ');
  }

  // The period to open first: the next deadline, else the latest one.
  function firstPeriod() {
    const open = S.periods.filter((p) => p.days_left >= 0).sort((a, b) => a.days_left - b.days_left);
    if (open.length) return open[0];
    return S.periods.slice().sort((a, b) => b.due.localeCompare(a.due))[0];
  }

  async function start() {
    $('add-activity').addEventListener('click', addActivity);
    $('save').addEventListener('click', () => saveDraft(true));
    $('submit').addEventListener('click', submit);
    $('start-last').addEventListener('click', () => startOver(true));
    $('start-empty').addEventListener('click', () => startOver(false));
    $('period').addEventListener('change', (ev) => choosePeriod(ev.target.value));
    window.addEventListener('pagehide', () => { if (S.dirty) saveDraft(true, true); });

    const { status, data } = await api('GET', '/api/periods');
    if (status !== 200 || !data) return;
    S.unit = data.unit;
    S.unitName = data.unit_name || '';
    S.today = data.today;
    // The list of errors open where there is room for it.
    const wide = window.matchMedia('(min-width: 40rem)');
    $('verdict-more').open = wide.matches;
    wide.addEventListener('change', () => { $('verdict-more').open = wide.matches; });
    S.periods = data.periods;
    setUnit();
    const sel = $('period');
    for (const p of S.periods) sel.append(el('option', { value: p.id, text: periodLabel(p) }));
    const first = firstPeriod();
    if (!first) { setSource('Chưa có mẫu báo cáo nào.'); return; }
    sel.value = first.id;
    await choosePeriod(first.id);
    document.body.dataset.ready = '1';
  }

  start();
}());
