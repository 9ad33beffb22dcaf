// Narrow screens (WCAG 2.2 reflow, 1.4.10): every GOV.UK table becomes stacked rows below
// the tablet breakpoint (static/scss/components/_reflow.scss), each cell led by its column's
// heading. Templates may write the labels themselves (data-label on the cells, class
// app-table--stack on the table, as the plan page and My actions do); here the other tables
// get them from their last heading row. The ARIA roles keep the table's semantics for
// screen readers once CSS has made its parts blocks. A table marked app-table--keep stays a
// table (it scrolls inside its own box instead).
const ROLES = [
  ["thead, tbody, tfoot", "rowgroup"],
  ["tr", "row"],
  ["th[scope=col]", "columnheader"],
  ["th[scope=row]", "rowheader"],
  ["td", "cell"],
];

function headings(table) {
  const rows = table.tHead ? table.tHead.rows : [];
  const last = rows.length ? rows[rows.length - 1] : null;
  if (!last) return null;
  const labels = [];
  for (const cell of last.cells) {
    for (let span = 0; span < cell.colSpan; span++) labels.push(cell.textContent.trim().replace(/\s+/g, " "));
  }
  return labels;
}

export function stackTables(root = document) {
  for (const table of root.querySelectorAll("table.govuk-table:not(.app-table--keep)")) {
    const labels = headings(table);
    if (labels) {
      for (const body of table.tBodies.length ? [...table.tBodies, table.tFoot].filter(Boolean) : []) {
        for (const row of body.rows) {
          let column = 0;
          for (const cell of row.cells) {
            const label = labels[column];
            if (!cell.hasAttribute("data-label") && label && cell.colSpan === 1) cell.dataset.label = label;
            column += cell.colSpan;
          }
        }
      }
    }
    table.setAttribute("role", "table");
    for (const [selector, role] of ROLES) {
      for (const element of table.querySelectorAll(selector)) {
        if (element.closest("table") === table && !element.hasAttribute("role")) element.setAttribute("role", role);
      }
    }
    table.classList.add("app-table--stack");
  }
}
