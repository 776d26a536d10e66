// Logwarden dashboard: keyboard shortcuts only; everything else is plain HTML, htmx and server-sent events.
// "/" focuses the page's search or filter box; "g" then o/a/j/s/t/k opens a page.
(function () {
  var pages = { o: '/', a: '/anomalies', j: '/jobs', s: '/sources', t: '/templates', k: '/api-keys' };
  var pendingG = false;
  document.addEventListener('keydown', function (e) {
    var target = e.target;
    var typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'
      || target.isContentEditable);
    if (typing || e.ctrlKey || e.metaKey || e.altKey) {
      return;
    }
    if (e.key === '/') {
      var box = document.querySelector('[data-search]');
      if (box) {
        e.preventDefault();
        box.focus();
      }
      return;
    }
    if (pendingG && pages[e.key]) {
      pendingG = false;
      window.location.href = pages[e.key];
      return;
    }
    pendingG = e.key === 'g';
  });
})();
