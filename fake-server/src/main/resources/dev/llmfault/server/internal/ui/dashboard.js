// The dashboard's script: it reads and changes the server only through the admin API (the same validation as
// every other client), polls once a second, and keeps the admin token in this tab's sessionStorage only.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var token = sessionStorage.getItem('llmfault.adminToken');
  var entries = [];
  var timer = null;

  function api(method, path, body) {
    var headers = {};
    if (token) headers['Authorization'] = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store' });
  }

  function text(parent, tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value === undefined || value === null ? '' : String(value);
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }

  function showPrompt(message) {
    stop();
    $('dashboard').classList.add('hidden');
    $('prompt').classList.remove('hidden');
    $('token-error').textContent = message || '';
    $('status').textContent = 'admin token required';
    $('token').focus();
  }

  function showDashboard() {
    $('prompt').classList.add('hidden');
    $('dashboard').classList.remove('hidden');
  }

  function start() {
    // /__admin/health is open for health checks: ask an endpoint behind the token whether the token is needed
    api('GET', '/__admin/stats').then(function (r) {
      if (r.status === 401) {
        showPrompt(token ? 'That token was refused.' : '');
        if (token) { sessionStorage.removeItem('llmfault.adminToken'); token = null; }
        return;
      }
      showDashboard();
      refresh();
      stop();
      timer = setInterval(refresh, 1000);
    }).catch(function (e) { $('status').textContent = 'server unreachable: ' + e; });
  }

  function stop() { if (timer) { clearInterval(timer); timer = null; } }

  function json(r) {
    if (r.status === 401) { showPrompt('The token was refused.'); throw new Error('401'); }
    return r.json();
  }

  function refresh() {
    Promise.all([
      api('GET', '/__admin/requests?limit=500').then(json).then(function (j) { entries = j.requests.reverse(); renderJournal(); return j; }),
      api('GET', '/__admin/scenarios').then(json).then(renderScenarios),
      api('GET', '/__admin/replies').then(json).then(renderReplies),
      api('GET', '/__admin/stats').then(json).then(renderStats),
      api('GET', '/__admin/policies').then(json).then(function (j) {
        $('policies').firstElementChild.textContent = JSON.stringify(j, null, 2);
      }),
      api('GET', '/__admin/timeline.svg?windowMs=60000').then(function (r) {
        if (r.status === 401) { showPrompt('The token was refused.'); throw new Error('401'); }
        return r.text();
      }).then(renderTimeline)
    ]).then(function (all) {
      $('status').textContent = 'live \u00B7 ' + all[0].total + ' request(s) recorded \u00B7 updated ' + new Date().toLocaleTimeString();
    }).catch(function (e) { if (String(e).indexOf('401') < 0) $('status').textContent = 'update failed: ' + e; });
  }

  function renderTimeline(svg) {
    var box = $('timeline');
    if (box.dataset.svg === svg) return; // unchanged: keep focus and hover where they are
    box.dataset.svg = svg;
    box.innerHTML = svg; // drawn by the server with every value escaped, no script in it
    Array.prototype.forEach.call(box.querySelectorAll('g.bar'), function (g) {
      g.addEventListener('click', function () { openDetail(Number(g.getAttribute('data-seq'))); });
      g.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); openDetail(Number(g.getAttribute('data-seq'))); }
      });
    });
  }

  function matches(e) {
    var p = $('f-provider').value, s = $('f-status').value, f = $('f-fault').value, k = $('f-key').value.trim(),
      m = $('f-model').value.trim();
    if (p && e.provider !== p) return false;
    if (s && String(e.status) !== s) return false;
    if (f === '-' && e.fault) return false;
    if (f && f !== '-' && e.fault !== f) return false;
    if (k && (e.apiKeyMask || '').indexOf(k) < 0) return false;
    if (m && (e.model || '').indexOf(m) < 0) return false;
    return true;
  }

  var shown = null;

  function renderJournal() {
    var signature = JSON.stringify([entries.length && entries[0].sequence, entries.length, $('f-provider').value,
      $('f-status').value, $('f-fault').value, $('f-key').value, $('f-model').value]);
    if (signature === shown) return; // unchanged: keep focus and selection where they are
    shown = signature;
    var body = $('journal').tBodies[0];
    var rows = document.createDocumentFragment();
    entries.filter(matches).slice(0, 200).forEach(function (e) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-seq', e.sequence);
      var first = document.createElement('td');
      var open = text(first, 'button', '#' + e.sequence);
      open.type = 'button';
      open.setAttribute('aria-label', 'open request #' + e.sequence);
      open.addEventListener('click', function () { openDetail(e.sequence); });
      tr.appendChild(first);
      text(tr, 'td', e.time.replace('T', ' ').replace('Z', ''));
      text(tr, 'td', e.provider || '');
      text(tr, 'td', e.method + ' ' + e.path + (e.stream ? ' (stream)' : ''));
      text(tr, 'td', e.model || '');
      var answer = (e.status === 0 ? 'no answer' : e.status) + (e.fault ? ' ' + e.fault : '');
      if (e.replyId) answer += ' (reply ' + e.replyId + ')';
      text(tr, 'td', answer, e.fault ? (e.scenarioId ? 'fault' : 'refused') : 'ok');
      text(tr, 'td', e.apiKeyMask || '');
      text(tr, 'td', Math.round(e.durationMs) + ' ms');
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
  }

  /** A Remove button in its own cell: deletes {@code base + id}, then refreshes. */
  function removeCell(tr, what, base, id) {
    var td = document.createElement('td');
    var remove = text(td, 'button', 'Remove');
    remove.type = 'button';
    remove.setAttribute('aria-label', 'remove ' + what + ' ' + id);
    remove.addEventListener('click', function () {
      api('DELETE', base + encodeURIComponent(id)).then(json).then(refresh);
    });
    tr.appendChild(td);
  }

  function trigger(s) {
    var parts = [];
    ['times', 'after', 'every', 'probability', 'seed', 'retryAfterMs', 'delayMs', 'afterChunks'].forEach(function (k) {
      if (s[k] !== undefined && s[k] !== null) parts.push(k + ' ' + s[k]);
    });
    if (s.match) parts.push('match ' + JSON.stringify(s.match));
    return parts.join(', ');
  }

  var shownScenarios = null;

  function renderScenarios(j) {
    var signature = JSON.stringify(j.scenarios);
    if (signature === shownScenarios) return;
    shownScenarios = signature;
    var body = $('scenarios').tBodies[0];
    var rows = document.createDocumentFragment();
    j.scenarios.forEach(function (s) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-id', s.id);
      text(tr, 'td', s.id); text(tr, 'td', s.fault); text(tr, 'td', s.provider || 'any');
      text(tr, 'td', trigger(s)); text(tr, 'td', s.matched, 'matched'); text(tr, 'td', s.fired, 'fired');
      removeCell(tr, 'scenario', '/__admin/scenarios/', s.id);
      rows.appendChild(tr);
    });
    if (!j.scenarios.length) { var tr = document.createElement('tr'); text(tr, 'td', 'none').colSpan = 7; rows.appendChild(tr); }
    body.replaceChildren(rows);
  }

  function replySummary(r) {
    if (r.sequence) return 'sequence of ' + r.sequence.length + ': ' + r.sequence.map(replySummary).join(' | ');
    var parts = [];
    if (r.text !== undefined && r.text !== null) parts.push('text ' + JSON.stringify(r.text));
    if (r.toolCalls) parts.push('tool call' + (r.toolCalls.length > 1 ? 's ' : ' ') + r.toolCalls.map(function (c) {
      return c.name + '(' + JSON.stringify(c.arguments || {}) + ')';
    }).join(', '));
    if (r.json !== undefined && r.json !== null) parts.push('json ' + JSON.stringify(r.json));
    return parts.join(', ');
  }

  var shownReplies = null;

  function renderReplies(j) {
    var signature = JSON.stringify(j.replies);
    if (signature === shownReplies) return; // unchanged: keep focus where it is
    shownReplies = signature;
    var rows = document.createDocumentFragment();
    j.replies.forEach(function (r) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-id', r.id);
      text(tr, 'td', r.id); text(tr, 'td', r.provider || 'any');
      text(tr, 'td', r.match ? JSON.stringify(r.match) : 'every call');
      text(tr, 'td', replySummary(r) + (r.priority ? ' (priority ' + r.priority + ')' : ''));
      text(tr, 'td', r.answered, 'answered');
      removeCell(tr, 'reply rule', '/__admin/replies/', r.id);
      rows.appendChild(tr);
    });
    if (!j.replies.length) { var tr = document.createElement('tr'); text(tr, 'td', 'none: the default reply').colSpan = 6; rows.appendChild(tr); }
    $('replies').tBodies[0].replaceChildren(rows);
  }

  function statsTable(title, counts) {
    var table = document.createElement('table');
    text(table, 'caption', title);
    var head = table.createTHead().insertRow();
    text(head, 'th', title.split(' ').pop()).scope = 'col';
    text(head, 'th', 'requests').scope = 'col';
    var body = table.createTBody();
    Object.keys(counts).forEach(function (k) {
      var tr = body.insertRow();
      text(tr, 'th', k).scope = 'row';
      text(tr, 'td', counts[k]);
    });
    return table;
  }

  function renderStats(j) {
    var box = $('stats');
    var p = document.createElement('p');
    p.textContent = j.total + ' request(s) in the journal';
    box.replaceChildren(p, statsTable('by provider', j.byProvider), statsTable('by fault', j.byFault),
      statsTable('by status', j.byStatus));
  }

  function openDetail(seq) {
    var e = entries.filter(function (x) { return x.sequence === seq; })[0];
    if (!e) return;
    var request = { sequence: e.sequence, time: e.time, method: e.method, path: e.path, query: e.query,
      headers: e.headers, body: e.body, provider: e.provider, model: e.model, stream: e.stream, apiKeyMask: e.apiKeyMask,
      clientAddress: e.clientAddress };
    var answer = { status: e.status, fault: e.fault, faultReason: e.faultReason, scenarioId: e.scenarioId,
      responseHeaders: e.responseHeaders, durationMs: e.durationMs };
    $('detail-title').textContent = 'Request #' + e.sequence;
    $('detail-request').textContent = JSON.stringify(request, null, 2);
    $('detail-answer').textContent = JSON.stringify(answer, null, 2);
    $('detail').classList.remove('hidden');
    $('detail').focus();
  }

  $('detail-close').addEventListener('click', function () { $('detail').classList.add('hidden'); });

  $('token-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    token = $('token').value;
    sessionStorage.setItem('llmfault.adminToken', token);
    start();
  });

  ['f-provider', 'f-status', 'f-fault', 'f-key', 'f-model'].forEach(function (id) {
    $(id).addEventListener('input', renderJournal);
    $(id).addEventListener('change', renderJournal);
  });
  $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); });

  $('scenario-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var s = { fault: $('sc-fault').value };
    if ($('sc-provider').value) s.provider = $('sc-provider').value;
    ['times', 'after', 'every', 'probability', 'seed', 'retryAfterMs', 'delayMs', 'afterChunks'].forEach(function (k) {
      var v = $('sc-' + k).value;
      if (v !== '') s[k] = Number(v);
    });
    if ($('sc-model').value.trim()) s.match = { model: $('sc-model').value.trim() };
    api('POST', '/__admin/scenarios', s).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, body: j }; });
    }).then(function (res) {
      var out = $('scenario-result');
      if (res.status === 201) {
        out.className = 'ok';
        out.textContent = 'added ' + res.body.id;
        refresh();
      } else {
        out.className = 'error';
        out.textContent = 'refused: ' + (res.body.error ? res.body.error.message : res.status);
      }
    });
  });

  start();
})();
