// Small page behaviours, wired by data attributes: the Content Security Policy forbids inline
// scripts and event handlers, so templates say what they want and this file does it.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-print], [data-back]");
  if (!target) return;
  if (target.matches("[data-print]")) {
    window.print();
  } else if (target.matches("[data-back]") && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-reload-with]");
  if (select) {
    const query = new URLSearchParams(window.location.search);
    query.set(select.dataset.reloadWith, select.value);
    window.location.search = query.toString();
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (!form) return;
  const skip = form.dataset.confirmUnlessField;
  if (skip && form.elements[skip] && form.elements[skip].value === form.dataset.confirmUnlessValue) {
    return;
  }
  if (!window.confirm(form.dataset.confirm)) event.preventDefault();
});

// A form marked data-submit-on-ctrl-enter saves with Ctrl+Enter (the hotline operator types on).
document.addEventListener("keydown", (event) => {
  const form = event.target.closest("form[data-submit-on-ctrl-enter]");
  if (form && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// A select marked data-auto-submit sends its form when changed.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-auto-submit]");
  if (select && select.form) select.form.requestSubmit();
});

// Repeating rows of an application form: "add a row" copies the last row, emptied.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const body = document.querySelector(`table[data-rows="${button.dataset.addRow}"] tbody`);
  const row = body.lastElementChild.cloneNode(true);
  row.querySelectorAll("input").forEach((input) => { input.value = ""; });
  body.appendChild(row);
});

// A file input shows, before upload, when the chosen file is larger than the material allows.
document.addEventListener("change", (event) => {
  const input = event.target.closest("input[type=file][data-max-bytes]");
  if (!input || !input.files.length) return;
  const file = input.files[0];
  const note = document.getElementById(`${input.id}-check`);
  if (note) {
    note.hidden = file.size <= Number(input.dataset.maxBytes);
  }
});
