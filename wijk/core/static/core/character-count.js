// A character counter under every text area with a limit (data-character-limit, set by
// wijk/core/forms.py). Without JavaScript the form still works: the server refuses a text
// that is too long and keeps it in the field. The texts come from the page
// (data-character-count-left / -over), so they are translated with the rest of it.
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) {
      return values[name];
    });
  }

  function attach(area) {
    if (area.dataset.characterCountReady) return;
    area.dataset.characterCountReady = "1";
    var limit = parseInt(area.dataset.characterLimit, 10);
    if (!(limit > 0)) return;
    var language = document.documentElement.lang || "nl";
    var count = document.createElement("p");
    count.className = "utrecht-form-field-description wijk-character-count";
    count.id = area.id + "_count";
    // Screen readers hear the count when they reach the field (aria-describedby) and, after a
    // pause in typing, in a polite live region: not on every key.
    var live = document.createElement("p");
    live.className = "wijk-visually-hidden";
    live.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", live);
    area.insertAdjacentElement("afterend", count);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + count.id);
    var timer = null;

    function text() {
      var length = area.value.length;
      var values = {
        count: Math.abs(limit - length).toLocaleString(language),
        limit: limit.toLocaleString(language),
      };
      return length > limit
        ? format(area.dataset.characterCountOver, values)
        : format(area.dataset.characterCountLeft, values);
    }

    function update() {
      var over = area.value.length > limit;
      count.textContent = text();
      count.classList.toggle("wijk-character-count--over", over);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        live.textContent = text();
      }, 1000);
    }

    count.textContent = text();
    area.addEventListener("input", update);
  }

  function attachAll(root) {
    var areas = root.querySelectorAll("textarea[data-character-limit]");
    for (var i = 0; i < areas.length; i += 1) attach(areas[i]);
  }

  document.addEventListener("DOMContentLoaded", function () {
    attachAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    attachAll(event.target);
  });
})();
