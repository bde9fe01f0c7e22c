// benchmon dashboard: small progressive enhancements; every view also works without JavaScript.
(function () {
  'use strict';
  var REFRESH_MS = 30000;
  var form = document.getElementById('filters');

  function submit(f) {
    if (f.requestSubmit) { f.requestSubmit(); } else { f.submit(); }
  }

  if (form) {
    var range = document.getElementById('f-range');
    var dates = document.getElementById('custom-dates');
    var models = document.getElementById('f-models');
    var modelsChanged = false;

    form.addEventListener('change', function (e) {
      var t = e.target;
      if (t.classList.contains('typeahead')) { return; } // handled below
      if (t.name === 'model') { modelsChanged = true; return; } // applied when the list closes
      if (t === range) {
        var custom = range.value === 'custom';
        dates.classList.toggle('hidden', !custom);
        if (custom) { document.getElementById('f-from').focus(); return; } // wait for a date
      }
      if ((t.name === 'from' || t.name === 'to') && !t.value) { return; }
      submit(form);
    });
    if (models) {
      models.addEventListener('toggle', function () {
        if (!models.open && modelsChanged) { submit(form); }
      });
      document.addEventListener('click', function (e) {
        if (models.open && !models.contains(e.target)) { models.open = false; }
      });
    }
  }

  // Type-ahead for long name lists: GET /api/v1/names?kind=...&prefix=... fills the datalist; a name
  // picked from it becomes a checked model of the filter bar, or, for an input that names a select
  // (data-select: the metric, the Compare tab's reference and model, the Trends tab's focus), that
  // select's choice, applied at once.
  Array.prototype.forEach.call(document.querySelectorAll('input.typeahead'), function (input) {
    var list = document.getElementById(input.getAttribute('list'));
    var kind = input.getAttribute('data-kind');
    var exclude = input.getAttribute('data-exclude'); // a name not to offer (the reference, beside its own select)
    var known = [];
    var timer = null;
    function lookUp(text) {
      return fetch('/api/v1/names?kind=' + encodeURIComponent(kind) + '&limit=20&prefix=' + encodeURIComponent(text),
                   {credentials: 'same-origin'})
        .then(function (r) { return r.ok ? r.json() : {names: []}; })
        .then(function (body) {
          return (body.names || []).filter(function (n) { return n !== exclude; });
        });
    }
    function offer(names) {
      known = names;
      list.textContent = '';
      known.forEach(function (n) { var o = document.createElement('option'); o.value = n; list.appendChild(o); });
    }
    function choose(name) {
      var target = input.getAttribute('data-select');
      if (!target) {
        var label = document.createElement('label');
        var box = document.createElement('input');
        box.type = 'checkbox'; box.name = 'model'; box.value = name; box.checked = true;
        var span = document.createElement('span');
        span.textContent = name;
        label.appendChild(box); label.appendChild(span);
        input.parentNode.insertBefore(label, input);
        input.value = '';
        if (typeof modelsChanged !== 'undefined') { modelsChanged = true; }
      } else {
        var select = document.getElementById(target);
        var option = Array.prototype.find.call(select.options, function (o) { return o.value === name; });
        if (!option) {
          option = document.createElement('option');
          option.value = name; option.textContent = name;
          select.appendChild(option);
        }
        option.selected = true;
        submit(select.form);
      }
    }
    // A name typed whole is taken even before its suggestions arrive: it is looked up, and taken if it is a name.
    function take() {
      var name = input.value;
      if (!name) { return; }
      if (known.indexOf(name) >= 0) { choose(name); return; }
      lookUp(name).then(function (names) {
        offer(names);
        if (names.indexOf(name) >= 0 && input.value === name) { choose(name); }
      });
    }
    input.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { lookUp(input.value).then(offer); }, 150);
    });
    input.addEventListener('change', take);
    input.addEventListener('keydown', function (e) {
      // Enter would submit the input's form with the select's old choice: take the typed name instead.
      if (e.key === 'Enter') { e.preventDefault(); take(); }
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll('select.autosubmit, input.autosubmit'), function (s) {
    s.addEventListener('change', function () { submit(s.form); });
  });

  // Trends' small charts arrive on demand: each placeholder names its fragment (GET /trends/small-chart) in
  // data-chart-url, fetched when it is scrolled near (all at once without IntersectionObserver). Scripts set through
  // innerHTML do not run, so the fragment's are made anew. data-chart-state says where each one is (loading, drawn,
  // failed).
  function showChart(box, html) {
    box.innerHTML = html;
    Array.prototype.forEach.call(box.querySelectorAll('script'), function (old) {
      var script = document.createElement('script');
      script.text = old.textContent;
      old.parentNode.replaceChild(script, old);
    });
  }

  // On a phone's screen (the CSS's narrow layout) a chart's legend at its side, or a difference chart's names in the
  // margin, would leave the plot 64 px of a 330 px chart. There the legend goes under the plot, one line per entry,
  // the chart growing by those lines; and the names of the rows are written inside the plot, above each row.
  // A window that narrows or widens after the load (a phone turned, a window resized) gets the layout of its new
  // width: the values a narrow layout replaced are kept on the plot (benchmonWide) and put back when it widens.
  var narrow = window.matchMedia ? window.matchMedia('(max-width: 720px)') : null;
  function relayoutNarrow(plot, change) {
    if (!plot.benchmonWide) {
      var wide = {};
      Object.keys(change).forEach(function (key) {
        var was = key.split('.').reduce(function (o, part) { return o == null ? undefined : o[part]; }, plot.layout);
        wide[key] = was === undefined ? null : was; // null: Plotly's default again
      });
      plot.benchmonWide = wide;
    }
    window.Plotly.relayout(plot, change);
  }
  function fitWide(root) {
    if (!window.Plotly) { return; }
    Array.prototype.forEach.call(root.querySelectorAll('.js-plotly-plot'), function (plot) {
      var wide = plot.benchmonWide;
      if (wide) { delete plot.benchmonWide; window.Plotly.relayout(plot, wide); }
    });
  }
  function fitNarrow(root) {
    if (!narrow || !narrow.matches || !window.Plotly) { return; }
    Array.prototype.forEach.call(root.querySelectorAll('.js-plotly-plot'), function (plot) {
      var full = plot._fullLayout;
      if (!full) { return; }
      var change = {};
      if (full.showlegend && !(full.legend && full.legend.orientation === 'h')) {
        var entries = (plot.data || []).filter(function (t) { return t.showlegend !== false; }).length;
        change = {'legend.orientation': 'h', 'legend.x': 0, 'legend.xanchor': 'left', 'legend.y': -0.12,
          'legend.yanchor': 'top', height: full.height + 24 * entries + 60};
      }
      if (full.yaxis && full.yaxis.type === 'category' && full.margin.l > full.width / 3) {
        change['yaxis.automargin'] = false;
        change['yaxis.ticklabelposition'] = 'inside top';
        change['margin.l'] = 12;
      }
      if (Object.keys(change).length) { relayoutNarrow(plot, change); }
    });
  }
  fitNarrow(document);
  if (narrow) {
    var refit = function () { if (narrow.matches) { fitNarrow(document); } else { fitWide(document); } };
    if (narrow.addEventListener) { narrow.addEventListener('change', refit); } else if (narrow.addListener) { narrow.addListener(refit); }
  }

  function loadChart(box) {
    if (box.hasAttribute('data-chart-state')) { return; }
    box.setAttribute('data-chart-state', 'loading');
    fetch(box.getAttribute('data-chart-url'), {credentials: 'same-origin'})
      .then(function (r) {
        // A session that ended meanwhile is sent to the login form, which is no chart.
        if (r.redirected) { throw new Error('signed out: reload the page to sign in'); }
        if (r.status >= 400 && r.status < 500) {
          // The server says what it refused (an escaped <p class="chart-error">): show its words, as text.
          return r.text().then(function (html) {
            var said = new DOMParser().parseFromString(html, 'text/html').querySelector('.chart-error');
            throw new Error('HTTP ' + r.status + (said ? ': ' + said.textContent : ''));
          });
        }
        if (!r.ok) { throw new Error('HTTP ' + r.status + ': reload the page to try again'); }
        return r.text();
      })
      .then(function (html) {
        box.classList.remove('pending');
        showChart(box, html);
        fitNarrow(box);
        box.setAttribute('data-chart-state', 'drawn');
      })
      .catch(function (e) {
        var status = box.querySelector('.chart-status') || box.appendChild(document.createElement('p'));
        status.className = 'chart-error';
        status.textContent = 'Could not load this chart (' + (e && e.message ? e.message : 'no answer') + ').';
        box.setAttribute('data-chart-state', 'failed');
      })
      .then(function () { box.removeAttribute('aria-busy'); });
  }

  var placeholders = document.querySelectorAll('[data-chart-url]');
  if (placeholders.length && 'IntersectionObserver' in window) {
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { near.unobserve(e.target); loadChart(e.target); }
      });
    }, {rootMargin: '400px 0px'});
    Array.prototype.forEach.call(placeholders, function (p) { near.observe(p); });
  } else {
    Array.prototype.forEach.call(placeholders, loadChart);
  }

  // Auto-refresh: off by default; the choice lives in the URL (refresh=30) so tabs and bookmarks keep it.
  var toggle = document.getElementById('autorefresh');
  if (toggle) {
    var url = new URL(window.location.href);
    if (toggle.checked) {
      window.setTimeout(function () { window.location.reload(); }, REFRESH_MS);
    }
    toggle.addEventListener('change', function () {
      if (toggle.checked) { url.searchParams.set('refresh', '30'); } else { url.searchParams.delete('refresh'); }
      window.location.assign(url.toString());
    });
  }
})();
