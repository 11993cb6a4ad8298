// "Add a row" for WTForms FieldLists: clone the last row and renumber its fields
// (officials-3-name → officials-4-name). Without JavaScript the blank rows still work.
for (const button of document.querySelectorAll('[data-add-row]')) {
  const container = document.querySelector(`[data-rows="${button.dataset.addRow}"]`);
  if (!container) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    const rows = container.querySelectorAll('[data-row]');
    const last = rows[rows.length - 1];
    const clone = last.cloneNode(true);
    const prefix = button.dataset.addRow;
    const pattern = new RegExp(`^${prefix}-(\\d+)-`);
    for (const field of clone.querySelectorAll('input, select, textarea')) {
      for (const attribute of ['name', 'id']) {
        const value = field.getAttribute(attribute);
        if (value) field.setAttribute(attribute, value.replace(pattern, `${prefix}-${rows.length}-`));
      }
      field.classList.remove('is-invalid');
      if (field.tagName === 'SELECT') field.selectedIndex = 0; else field.value = '';
    }
    clone.querySelectorAll('.invalid-feedback').forEach((node) => node.remove());
    container.appendChild(clone);
    clone.querySelector('input, select')?.focus();
  });
}
