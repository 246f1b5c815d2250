/* Focus stays where the user was when htmx replaces the part of the page they acted in.

   A button that records a contact in a worklist row swaps the whole row: the pressed button
   leaves the page and the browser would put focus back on <body>, so a keyboard user starts
   over from the top and a screen reader says nothing about the result. htmx itself keeps the
   focus only when the new content has an element with the same id, or focuses an element
   marked autofocus. Where neither did, this moves focus into the content that took the place
   of the old: to an element marked data-focus-after-swap, else to the new element itself (a
   table row, given tabindex="-1" so that it can take focus without joining the Tab order). */
(function () {
  "use strict";

  let lostFrom = null; // the element htmx replaces while the focus is inside it

  function focusLost() {
    const active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    const active = document.activeElement;
    lostFrom = target && active && active !== document.body && target.contains(active) ? target : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!lostFrom || event.detail.target !== lostFrom) return;
    const replaced = lostFrom;
    lostFrom = null;
    if (!focusLost()) return; // htmx kept it (same id) or an autofocus element took it
    let fresh = event.target;
    if (!(fresh instanceof Element) || !fresh.isConnected) {
      fresh = replaced.id ? document.getElementById(replaced.id) : null;
    }
    if (!fresh) return;
    const goal = fresh.querySelector("[data-focus-after-swap]") || fresh;
    if (!goal.hasAttribute("tabindex") && goal.tabIndex < 0) goal.setAttribute("tabindex", "-1");
    goal.focus({ preventScroll: false });
  });
})();
