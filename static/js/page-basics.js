// What every page needs without inline code (the Content-Security-Policy allows none):
// widths given as data (progress bars) and confirmations before a form is sent.
for (const element of document.querySelectorAll('[data-width]')) {
  element.style.width = `${Number(element.dataset.width) || 0}%`;
}

document.addEventListener('submit', (event) => {
  const form = event.target.closest('form[data-confirm]');
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
