/* Live progress of exports on the staff export pages (frontend/views/staff_exports.py).

   The pages work without this file: they show each export's state when loaded, with a
   "Refresh" link while one runs. This follows GET /api/v1/exports/{id}/ every 1.5 seconds for
   each export still queued or running: it moves the progress bar, updates the status, shows
   the download link when the file is ready or the reason when it failed, and tells screen
   reader users once, when it is finished. */
(function () {
  "use strict";

  var POLL_MS = 1500;
  var MAX_FAILURES = 5;
  var FINISHED = { done: true, failed: true };

  function find(box, name) {
    return box.querySelector("[" + name + "]");
  }

  function follow(box) {
    var url = box.getAttribute("data-export-url");
    var bar = box.querySelector("progress");
    var label = find(box, "data-export-status-label");
    var percent = find(box, "data-export-percent");
    var live = find(box, "data-export-live");
    var downloadRow = find(box, "data-export-download-row");
    var download = find(box, "data-export-download");
    var error = find(box, "data-export-error");
    var refresh = find(box, "data-export-refresh");
    var failures = 0;

    if (!url || FINISHED[box.getAttribute("data-export-status")]) {
      return;
    }
    // This script keeps the state up to date: no need to reload by hand.
    if (refresh) {
      refresh.hidden = true;
    }

    function show(data) {
      var share = Math.max(0, Math.min(1, Number(data.progress) || 0));
      var shown = Math.round(share * 100) + "%";
      box.setAttribute("data-export-status", data.status);
      if (bar) {
        bar.value = share;
        bar.textContent = shown;
      }
      if (percent) {
        percent.textContent = shown;
      }
      if (label && data.status_label) {
        label.textContent = data.status_label;
      }
      if (data.status === "done" && data.download && downloadRow && download) {
        download.href = data.download;
        downloadRow.hidden = false;
      }
      if (data.status === "failed" && error) {
        error.textContent = data.error || "";
        error.hidden = false;
      }
      if (FINISHED[data.status] && live) {
        live.textContent = (data.status_label || data.status) +
          (data.status === "failed" && data.error ? ": " + data.error : "");
      }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          show(data);
          if (!FINISHED[data.status]) {
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function () {
          failures += 1;
          if (failures < MAX_FAILURES) {
            window.setTimeout(poll, POLL_MS * failures);
          } else if (refresh) {
            refresh.hidden = false; // give the page's own way back
          }
        });
    }

    window.setTimeout(poll, POLL_MS);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-export-url]"), follow);
})();
