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

  Array.prototype.forEach.call(document.querySelectorAll('select.autosubmit, input.autosubmit'), function (s) {
    s.addEventListener('change', function () { submit(s.form); });
  });

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
