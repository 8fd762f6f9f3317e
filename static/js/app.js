/* 订单管理 — the little behaviour the pages need, no framework. The server recomputes and
   validates everything; this only makes entry quick. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    let t;
    return function () { const args = arguments; clearTimeout(t); t = setTimeout(() => fn.apply(this, args), ms); };
  }

  // --- autocomplete: <span data-autocomplete=url> with a hidden value and a text input ---
  function attachAutocomplete(box, url, onPick) {
    const input = box.querySelector("input[type=text]");
    const list = box.querySelector(".ac-list");
    let results = [], active = -1;
    function close() { list.hidden = true; active = -1; }
    function render() {
      list.innerHTML = "";
      results.forEach((r, i) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.index = i;
        li.textContent = r.text + (r.hint ? "  · " + r.hint : "");
        if (i === active) li.className = "active";
        li.addEventListener("mousedown", (e) => { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
    }
    function pick(i) { const r = results[i]; if (!r) return; onPick(r, input); close(); }
    const search = debounce(function () {
      fetch(url + "?q=" + encodeURIComponent(input.value), { headers: { "X-Requested-With": "fetch" } })
        .then((r) => r.json()).then((data) => { results = data.results || []; active = results.length ? 0 : -1; render(); });
    }, 150);
    input.addEventListener("input", () => { box.dataset.picked = ""; search(); });
    input.addEventListener("focus", () => { if (!input.value) search(); });
    input.addEventListener("blur", () => setTimeout(close, 150));
    input.addEventListener("keydown", (e) => {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { active = Math.min(active + 1, results.length - 1); render(); e.preventDefault(); }
      else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); e.preventDefault(); }
      else if ((e.key === "Enter" || e.key === "Tab") && active >= 0) {
        pick(active);
        if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); }
      } else if (e.key === "Escape") { close(); }
    });
  }

  document.querySelectorAll("[data-autocomplete]").forEach((box) => {
    const hidden = box.querySelector("[data-ac-value]");
    attachAutocomplete(box, box.dataset.autocomplete, (r, input) => { hidden.value = r.id; input.value = r.text; });
    box.querySelector("[data-ac-input]").addEventListener("change", (e) => { if (!e.target.value) hidden.value = ""; });
  });

  // --- order lines ------------------------------------------------------------------------
  const table = document.querySelector("[data-lines]");
  if (table) {
    const prefix = table.dataset.prefix;
    const tbody = table.querySelector("tbody");
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const template = document.querySelector("[data-line-template]");
    const money = (n) => "¥" + n.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const round2 = (n) => Math.round((n + Number.EPSILON) * 100) / 100;

    function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

    function recompute() {
      let net = 0, tax = 0, gross = 0, n = 0;
      tbody.querySelectorAll("[data-line]").forEach((row) => {
        const del = field(row, "DELETE");
        n += 1;
        row.querySelector("[data-line-no]").textContent = n;
        if (del && del.checked) { row.querySelector("[data-line-total]").textContent = "-"; return; }
        const q = parseFloat(field(row, "quantity").value) || 0;
        const p = parseFloat(field(row, "unit_price").value) || 0;
        const rate = (parseFloat(field(row, "vat_percent").value) || 0) / 100;
        const incl = field(row, "price_includes_tax").checked;
        let g, nt;
        if (incl) { g = round2(q * p); nt = round2(g / (1 + rate)); }
        else { nt = round2(q * p); g = round2(nt + round2(nt * rate)); }
        net += nt; gross += g; tax += g - nt;
        row.querySelector("[data-line-total]").textContent = money(g);
      });
      table.querySelector("[data-total=net]").textContent = money(round2(net));
      table.querySelector("[data-total=tax]").textContent = money(round2(tax));
      table.querySelector("[data-total=gross]").textContent = money(round2(gross));
    }

    function wireRow(row) {
      const model = field(row, "model_code");
      const box = model.closest(".autocomplete");
      attachAutocomplete(box, table.dataset.productUrl, (r) => {
        model.value = r.text;
        field(row, "product").value = r.id;
        if (!field(row, "spec").value) field(row, "spec").value = r.spec || "";
        if (r.unit) field(row, "unit").value = r.unit;
        if (!field(row, "unit_price").value && r.price) field(row, "unit_price").value = r.price;
        recompute();
      });
      model.addEventListener("input", () => { field(row, "product").value = ""; });
      row.addEventListener("input", recompute);
      row.addEventListener("change", recompute);
      row.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" || e.defaultPrevented || e.target.tagName === "BUTTON") return;
        e.preventDefault();
        const rows = tbody.querySelectorAll("[data-line]");
        if (row === rows[rows.length - 1]) addLine();
        else { const next = row.nextElementSibling; field(next, "model_code").focus(); }
      });
      const last = field(row, "vat_percent");
      last.addEventListener("keydown", (e) => {
        const rows = tbody.querySelectorAll("[data-line]");
        if (e.key === "Tab" && !e.shiftKey && row === rows[rows.length - 1]) { e.preventDefault(); addLine(); }
      });
    }

    function addLine() {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, index);
      tbody.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      const row = tbody.lastElementChild;
      wireRow(row);
      recompute();
      field(row, "model_code").focus();
      return row;
    }

    tbody.querySelectorAll("[data-line]").forEach(wireRow);
    table.querySelector("[data-add-line]").addEventListener("click", addLine);
    recompute();
  }

  // --- a new customer without leaving the order ---------------------------------------------
  const dialog = document.querySelector("[data-customer-dialog]");
  const opener = document.querySelector("[data-new-customer]");
  if (dialog && opener) {
    opener.addEventListener("click", () => {
      const typed = document.querySelector("[data-field=customer] [data-ac-input]");
      const name = dialog.querySelector("[name=customer-name]");
      if (typed && typed.value && !name.value) name.value = typed.value;
      dialog.showModal();
      name.focus();
    });
    dialog.querySelector("[data-close-dialog]").addEventListener("click", () => dialog.close());
    dialog.querySelector("[data-save-customer]").addEventListener("click", () => {
      const data = new FormData();
      dialog.querySelectorAll("input, select, textarea").forEach((el) => { if (el.name) data.append(el.name, el.value); });
      const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
      const errors = dialog.querySelector("[data-customer-errors]");
      dialog.querySelectorAll("[data-error-for]").forEach((el) => { el.textContent = ""; el.parentElement.classList.remove("has-error"); });
      errors.hidden = true;
      fetch(dialog.dataset.url, { method: "POST", body: data, headers: { "X-CSRFToken": csrf } })
        .then((r) => r.json().then((body) => ({ ok: r.ok, body })))
        .then(({ ok, body }) => {
          if (ok) {
            const box = document.querySelector("[data-field=customer]");
            box.querySelector("[data-ac-value]").value = body.id;
            box.querySelector("[data-ac-input]").value = body.text;
            dialog.close();
            const next = document.getElementById("id_channel");
            if (next) next.focus();
            return;
          }
          // The summary says what happened; each message goes on its own field.
          errors.hidden = false;
          errors.textContent = dialog.dataset.errorText;
          Object.entries(body.errors || {}).forEach(([name, msgs]) => {
            const slot = dialog.querySelector("[data-error-for='" + name + "']");
            if (slot) { slot.textContent = msgs.join(" "); slot.parentElement.classList.add("has-error"); }
            else errors.textContent += " " + msgs.join(" ");
          });
        })
        .catch(() => { errors.hidden = false; errors.textContent = dialog.dataset.failText; });
    });
  }
})();
