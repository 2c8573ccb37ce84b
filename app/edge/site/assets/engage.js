// Likes and reposts from a track's page, for a signed-in listener: the session cookie (HttpOnly,
// never seen here) goes along by itself; the page's CSRF token goes in a header.
(function () {
  "use strict";
  var box = document.querySelector(".engage");
  if (!box) return;
  var track = box.getAttribute("data-track-id");
  var secret = box.getAttribute("data-secret");
  box.querySelectorAll("button[data-kind]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.getAttribute("data-kind");
      var on = button.getAttribute("aria-pressed") !== "true";
      button.disabled = true;
      fetch("/you/" + kind + "/" + track, {
        method: on ? "POST" : "DELETE",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": box.getAttribute("data-csrf") },
        body: JSON.stringify(secret ? { secret_token: secret } : {}),
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (found) {
        if (!found) return;
        button.setAttribute("aria-pressed", found.active ? "true" : "false");
        var count = document.querySelector(".meta ." + kind);
        if (count) count.textContent = found.count;
      }).catch(function () {}).then(function () { button.disabled = false; });
    });
  });
})();
