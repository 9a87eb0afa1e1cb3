(function () {
  'use strict';
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  each(document.querySelectorAll('table.sortable'), function (table) {
    var head = table.tHead.rows[0];
    each(head.cells, function (th, col) {
      var button = th.querySelector('button');
      if (!button) { return; }
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        var numeric = th.getAttribute('data-numeric') === 'true';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var v = row.cells[col].getAttribute('data-sort') || '';
          if (!numeric) { return v; }
          return v === '' ? -Infinity : parseFloat(v);
        };
        rows.sort(function (a, b) {
          var x = key(a);
          var y = key(b);
          var d = numeric ? (x < y ? -1 : (x > y ? 1 : 0)) : String(x).localeCompare(String(y));
          if (d === 0) {
            return parseInt(a.getAttribute('data-id'), 10) - parseInt(b.getAttribute('data-id'), 10);
          }
          return ascending ? d : -d;
        });
        each(rows, function (row) { body.appendChild(row); });
        each(head.cells, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      });
    });
  });
  // A cluster's details open when the page is opened at it or a link leads to it, and all of
  // them open for printing.
  var openTarget = function () {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === 'DETAILS') { node.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  };
  window.addEventListener('hashchange', openTarget);
  openTarget();
  window.addEventListener('beforeprint', function () {
    each(document.querySelectorAll('details'), function (d) { d.open = true; });
  });
  document.documentElement.className += ' js';
}());
