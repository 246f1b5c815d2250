/* Tables that do not fit become stacked rows: every row a block, every cell with the name of
   its column before its value (wijk.css, "Phone and tablet"). No template writes those names:
   this script copies each column's header text into data-label of the cells of the table
   body and footer, so a new table gets them by having a <thead>.

   A labelled table gets the class wijk-table--labelled, and also wijk-table--stack while it is
   wider than the box it stands in (tried as a table first, again when the window is resized,
   when the fonts have loaded, and when htmx swaps a table or a row in). So a table stays a
   table wherever it fits, on a phone as well as on a wide screen, and never breaks its words
   to squeeze in. A table without a <thead>, or marked wijk-table--keep, is left alone; without
   this script, a table on a small screen scrolls inside its own box (wijk.css). The names are
   shown to the eye only: screen readers read the table's column headers. */
(function () {
  "use strict";

  const LABELLED = "wijk-table--labelled";
  const STACK = "wijk-table--stack";

  function headerText(cell) {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll("abbr[title]").forEach(function (abbr) {
      abbr.replaceWith(abbr.title);
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /* The name of each column: its header texts from the top row of the <thead> down, so a
     column under a group header ("Eerste contact", colspan 4) reads "Eerste contact – Op tijd". */
  function columnNames(head) {
    const names = [];
    const covered = []; // covered[row][column]: taken by a rowspan from a row above
    Array.from(head.rows).forEach(function (row, rowIndex) {
      let column = 0;
      Array.from(row.cells).forEach(function (cell) {
        while (covered[rowIndex] && covered[rowIndex][column]) column += 1;
        const text = headerText(cell);
        for (let across = 0; across < cell.colSpan; across += 1) {
          for (let down = 0; down < Math.max(cell.rowSpan, 1); down += 1) {
            covered[rowIndex + down] = covered[rowIndex + down] || [];
            covered[rowIndex + down][column + across] = true;
          }
          const texts = (names[column + across] = names[column + across] || []);
          if (text && texts.indexOf(text) === -1) texts.push(text);
        }
        column += cell.colSpan;
      });
    });
    return names.map(function (texts) {
      return texts.join(" – ");
    });
  }

  function label(table) {
    if (table.classList.contains("wijk-table--keep") || !table.tHead) return false;
    const names = columnNames(table.tHead);
    if (names.length === 0) return false;
    const rows = [];
    Array.from(table.tBodies).forEach(function (body) {
      rows.push.apply(rows, body.rows);
    });
    if (table.tFoot) rows.push.apply(rows, table.tFoot.rows);
    rows.forEach(function (row) {
      let column = 0;
      Array.from(row.cells).forEach(function (cell) {
        const name = names[column];
        column += cell.colSpan;
        // A row header names the row itself; a cell across every column is a message.
        if (cell.tagName === "TH" || cell.colSpan >= names.length || !name) {
          cell.removeAttribute("data-label");
        } else {
          cell.setAttribute("data-label", name);
        }
      });
    });
    table.classList.add(LABELLED);
    return true;
  }

  /* Lay the tables out as tables, measure them all, then stack those too wide: two layouts
     for the whole page, not two per table. */
  function fit(tables) {
    tables.forEach(function (table) {
      table.classList.remove(STACK);
    });
    const tooWide = tables.filter(function (table) {
      const box = table.parentElement;
      if (!box) return false;
      const style = getComputedStyle(box);
      const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return table.getBoundingClientRect().width > room + 0.5;
    });
    tooWide.forEach(function (table) {
      table.classList.add(STACK);
    });
  }

  function labelled() {
    return Array.from(document.querySelectorAll("table." + LABELLED));
  }

  function arrange(root) {
    if (!(root instanceof Element)) return;
    const found = new Set(root.querySelectorAll("table"));
    const owner = root.closest("table");
    if (owner) found.add(owner);
    const tables = Array.from(found).filter(label);
    if (tables.length > 0) fit(tables);
  }

  arrange(document.body);
  document.addEventListener("htmx:load", function (event) {
    arrange(event.target);
  });
  window.addEventListener("resize", function () {
    fit(labelled());
  });
  if (document.fonts) {
    document.fonts.addEventListener("loadingdone", function () {
      fit(labelled());
    });
  }
})();
