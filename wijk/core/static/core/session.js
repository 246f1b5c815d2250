// The session's idle timeout, seen from the page (docs/adr/0025):
// - shows the "Blijf ingelogd" dialog (accounts/_idle_warning.html) shortly before the server
//   ends the session, and posts to the stay address when the user chooses to stay;
// - puts a form draft kept over a re-login (the JSON block #wijk-draft, added by the server
//   only to the page the user was let in to) back into the form it came from.
// No inline script: the Content-Security-Policy refuses it; this file is loaded with defer.
(() => {
  "use strict";

  const dialog = document.getElementById("wijk-idle");
  if (dialog) {
    const form = dialog.querySelector("form");
    const button = form.querySelector("button[type=submit]");
    const ended = dialog.querySelector("[data-idle-ended]");
    const text = document.getElementById("wijk-idle-text");
    const timeout = Number(dialog.dataset.timeout);
    const lead = Number(dialog.dataset.lead);
    let warnTimer = null;
    let endTimer = null;
    let returnFocus = null;

    const hide = () => {
      dialog.hidden = true;
      if (returnFocus && document.contains(returnFocus)) {
        returnFocus.focus();
      }
      returnFocus = null;
    };

    const show = () => {
      returnFocus = document.activeElement;
      dialog.hidden = false;
      button.focus();
    };

    const showEnded = () => {
      if (dialog.hidden) {
        returnFocus = document.activeElement;
        dialog.hidden = false;
      }
      text.hidden = true;
      button.hidden = true;
      ended.hidden = false;
      ended.setAttribute("tabindex", "-1");
      ended.focus();
    };

    // The session has `remaining` seconds left on the server's idle clock.
    const start = (remaining) => {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      warnTimer = window.setTimeout(show, Math.max(0, remaining - lead) * 1000);
      endTimer = window.setTimeout(showEnded, Math.max(0, remaining) * 1000);
    };

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      let response = null;
      try {
        response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Wijk-Stay": "1" },
        });
      } catch {
        response = null;
      }
      if (response && response.status === 204) {
        hide();
        start(timeout);
      } else {
        showEnded();
      }
    });

    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !button.hidden) {
        hide();
      }
    });

    // A request made by htmx on this page also counts as activity on the server.
    document.body.addEventListener("htmx:afterRequest", () => {
      if (dialog.hidden) {
        start(timeout);
      }
    });

    start(Number(dialog.dataset.remaining));
  }

  const draftBlock = document.getElementById("wijk-draft");
  if (draftBlock) {
    const draft = JSON.parse(draftBlock.textContent);
    // Hidden fields are restored too: they carry what the form was shown against (the version
    // an edit started from, the holder an assignment expected), so a change someone else
    // made meanwhile is refused as stale when the draft is saved, never overwritten.
    const skipped = new Set(["file", "password", "submit", "button", "reset"]);
    let filled = false;

    for (const form of document.querySelectorAll("form")) {
      if (new URL(form.action, document.baseURI).pathname !== draft.action) {
        continue;
      }
      for (const [name, values] of Object.entries(draft.fields)) {
        let index = 0;
        for (const element of form.elements) {
          if (element.name !== name || skipped.has(element.type)) {
            continue;
          }
          if (element.type === "checkbox" || element.type === "radio") {
            element.checked = values.includes(element.value);
          } else if (element.type === "select-multiple") {
            for (const option of element.options) {
              option.selected = values.includes(option.value);
            }
          } else if (index < values.length) {
            element.value = values[index];
            index += 1;
          } else {
            continue;
          }
          element.dispatchEvent(new Event("input", { bubbles: true }));
          element.dispatchEvent(new Event("change", { bubbles: true }));
          filled = true;
        }
      }
    }

    const main = document.querySelector("main");
    if (filled && main) {
      const notice = document.createElement("div");
      notice.className = "utrecht-alert utrecht-alert--info wijk-draft-notice";
      notice.setAttribute("role", "status");
      const paragraph = document.createElement("p");
      paragraph.className = "utrecht-paragraph";
      notice.append(paragraph);
      const heading = main.querySelector("h1");
      if (heading) {
        heading.after(notice);
      } else {
        main.prepend(notice);
      }
      // Filled after the live region is in the page, so that screen readers announce it.
      window.setTimeout(() => {
        paragraph.textContent = draft.notice;
      }, 100);
    }
  }
})();
