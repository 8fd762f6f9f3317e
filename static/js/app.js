/* 订单管理 — the two things htmx cannot do: add a row to a formset (the order's lines),
   and fill a field the server proposes (a catalogue price, unit, specification) only
   while the user has not typed into it — an answer that arrives after they did never
   overwrites them. Everything else — suggestions, the new-customer form, the line
   totals — is the server's, through htmx partials. */
document.addEventListener("htmx:oobBeforeSwap", function (event) {
  const incoming = event.detail.fragment && event.detail.fragment.firstElementChild;
  if (incoming && incoming.hasAttribute("data-fill-if-empty") && event.detail.target.value) {
    event.detail.shouldSwap = false;
  }
});

(function () {
  "use strict";

  const table = document.querySelector("[data-lines]");
  if (!table) return;
  const prefix = table.dataset.prefix;
  const tbody = table.querySelector("tbody");
  const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  const maximum = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  const template = document.querySelector("[data-line-template]");

  function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

  function number() {
    tbody.querySelectorAll("[data-line]").forEach((row, i) => {
      row.querySelector("[data-line-no]").textContent = i + 1;
    });
  }

  function addLine() {
    const index = parseInt(total.value, 10);
    if (maximum && index >= parseInt(maximum.value, 10)) return null;
    tbody.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
    total.value = index + 1;
    const row = tbody.lastElementChild;
    if (window.htmx) window.htmx.process(row);
    number();
    field(row, "model_code").focus();
    return row;
  }

  // From the keyboard: Enter in the last line, or Tab out of its last field, adds one.
  tbody.addEventListener("keydown", (e) => {
    const row = e.target.closest("[data-line]");
    if (!row || e.defaultPrevented || e.target.tagName === "BUTTON") return;
    const rows = tbody.querySelectorAll("[data-line]");
    const last = row === rows[rows.length - 1];
    if (e.key === "Enter") {
      e.preventDefault();
      if (last) addLine();
      else field(row.nextElementSibling, "model_code").focus();
    } else if (e.key === "Tab" && !e.shiftKey && last && e.target === field(row, "vat_percent")) {
      e.preventDefault();
      addLine();
    }
  });
  table.querySelector("[data-add-line]").addEventListener("click", addLine);
  number();
})();
