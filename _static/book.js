// A wide result table scrolls sideways inside its cell (book.css); a region that scrolls must be
// reachable with the keyboard (axe-core: scrollable-region-focusable), so each one that overflows
// becomes a focusable, named region.
function markScrollingTables() {
  document.querySelectorAll("div.cell_output div.output.text_html").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "table (scrolls sideways)");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollingTables);
window.addEventListener("resize", markScrollingTables);
