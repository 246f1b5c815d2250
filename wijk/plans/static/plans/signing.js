/* A signature drawn on the screen: a <canvas> that follows a finger, a pen or a mouse
   (pointer events), and puts the drawing as a PNG data URL in the form's hidden field
   "drawing" when the form is sent. The server checks that it is a real PNG (wijk.plans.
   signature_files); this script only draws.

   The page shows this part only when "Tekenen op het scherm" was chosen. Without this
   script the drawing part stays hidden and its explanation links the choice of another way;
   with a keyboard, "Naam typen en bevestigen" is the way (linked from the explanation).
   When the page comes back with a message about another field, the drawing the form sent
   is drawn on the canvas again, so the resident need not sign twice. */
(function () {
  "use strict";

  function setUp(part) {
    const canvas = part.querySelector("canvas");
    const form = part.closest("form");
    const field = form && form.querySelector("input[name='drawing']");
    const clear = part.querySelector("[data-signing-clear]");
    if (!canvas || !form || !field) return;
    const context = canvas.getContext("2d");
    if (!context) return;

    // Set here, not in a style attribute (the CSP allows no inline style): the page must not
    // scroll while a finger draws, and the box shrinks on a narrow screen.
    canvas.style.touchAction = "none";
    canvas.style.maxWidth = "100%";
    canvas.style.height = "auto";
    canvas.style.border = "2px solid currentColor";

    let drawing = false;
    let drawn = false;
    let last = null;

    function reset() {
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.strokeStyle = "#000000";
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      drawn = false;
      field.value = "";
    }

    function point(event) {
      const box = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - box.left) * canvas.width) / box.width,
        y: ((event.clientY - box.top) * canvas.height) / box.height,
      };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
      context.fillStyle = "#000000";
      context.fill();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      const next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
    });
    function stop() {
      drawing = false;
      last = null;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);

    if (clear) {
      clear.addEventListener("click", function () {
        reset();
        canvas.focus();
      });
    }

    form.addEventListener("submit", function () {
      field.value = drawn ? canvas.toDataURL("image/png") : "";
    });

    const sent = field.value;
    reset();
    if (sent.indexOf("data:image/png;base64,") === 0) {
      const image = new Image();
      image.addEventListener("load", function () {
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        drawn = true;
        field.value = sent;
      });
      image.src = sent;
    }
    part.hidden = false;
    const fallback = part.parentElement && part.parentElement.querySelector("[data-signing-no-script]");
    if (fallback) fallback.hidden = true;
  }

  document.querySelectorAll("[data-signing-canvas]").forEach(setUp);
})();
