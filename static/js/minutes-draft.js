// The secretariat's draft saves itself: a few seconds after a change the form goes to the server
// as JSON (CSRF token in a header) and the page says "Đã lưu lúc HH:MM". Saves never overlap;
// a save refused because someone else saved first stops autosaving until the page is reloaded.
// Without JavaScript the form's own "Lưu" button posts the same fields.
import { request } from './api-client.js';

const SAVE_DELAY_MS = 2000;
const RETRY_DELAY_MS = 5000;

const form = document.getElementById('minutes-form');
if (form) {
  const url = form.dataset.autosaveUrl;
  const csrfToken = form.querySelector('input[name="csrf_token"]').value;
  const lockInput = form.querySelector('input[name="lock_version"]');
  const status = form.querySelector('[data-testid="save-status"]');
  const errorBox = form.querySelector('[data-testid="save-error"]');
  const history = document.querySelector('[data-history]');
  const tasks = form.querySelector('[data-tasks]');
  const template = form.querySelector('[data-task-template]');
  const messages = form.dataset;

  let dirty = false;
  let stopped = false;
  let timer = null;
  let inFlight = null; // the promise of the save being sent
  let lastSaved = true; // whether the last save went through
  let nextIndex = tasks.querySelectorAll('[data-task-row]').length;

  const setStatus = (text) => { status.textContent = text; };

  function showError(message, field) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    if (!field) return;
    const input = form.querySelector(`[name="${field}"]`);
    if (input) input.classList.add('is-invalid');
    const feedback = form.querySelector(`[data-error-for="${field.startsWith('tasks') ? 'tasks' : field}"]`);
    if (feedback) feedback.textContent = message;
  }

  function clearErrors() {
    errorBox.hidden = true;
    errorBox.textContent = '';
    form.querySelectorAll('.is-invalid').forEach((input) => input.classList.remove('is-invalid'));
    form.querySelectorAll('[data-error-for]').forEach((node) => { node.textContent = ''; });
  }

  function collect() {
    const value = (name) => form.elements.namedItem(name)?.value ?? '';
    const payload = {
      lock_version: Number(lockInput.value) || 0,
      tasks: [],
    };
    for (const name of ['conclusions', 'minutes_number', 'notice_number', 'chair_name',
      'chair_title', 'secretary_name', 'recipients', 'started_at', 'ended_at']) {
      payload[name] = value(name);
    }
    for (const row of tasks.querySelectorAll('[data-task-row]')) {
      const field = (suffix) => row.querySelector(`[name$="-${suffix}"]`).value;
      payload.tasks.push({ body: field('body'), content: field('content'), due_on: field('due_on') });
    }
    return payload;
  }

  async function send() {
    dirty = false;
    setStatus(messages.msgSaving);
    const response = await request(url, { method: 'POST', body: collect(), csrfToken });
    if (response.status === 0) {
      dirty = true;
      setStatus(messages.msgOffline);
      timer = setTimeout(save, RETRY_DELAY_MS);
      return false;
    }
    if (response.redirected || !response.json || !response.data || response.status === 400 || response.status === 403) {
      stopped = true; // signed out, or the CSRF token expired: only a reload helps
      showError(messages.msgExpired);
      setStatus('');
      return false;
    }
    const body = response.data;
    if (!response.ok) {
      if (response.status === 409) stopped = true;
      showError(body.error?.message || messages.msgOffline, body.error?.details?.field);
      setStatus(messages.msgUnsaved);
      return false;
    }
    clearErrors();
    lockInput.value = body.lock_version;
    setStatus(messages.msgSaved.replace('{time}', body.saved_at_text));
    if (history && body.history_html !== undefined) history.innerHTML = body.history_html;
    return true;
  }

  // Send the form now unless a save is under way; then, if more was typed meanwhile, again.
  async function save() {
    clearTimeout(timer);
    timer = null;
    if (stopped) return false;
    while (inFlight) await inFlight;
    if (!dirty) return lastSaved;
    inFlight = send();
    lastSaved = await inFlight;
    inFlight = null;
    if (dirty && !timer && !stopped) timer = setTimeout(save, SAVE_DELAY_MS);
    return lastSaved;
  }

  function changed() {
    if (stopped) return;
    dirty = true;
    setStatus(messages.msgUnsaved);
    if (!timer) timer = setTimeout(save, SAVE_DELAY_MS);
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  // Tasks: add a row from the template, remove a row.
  const addButton = form.querySelector('[data-add-task]');
  addButton.hidden = false;
  form.querySelectorAll('[data-remove-task]').forEach((button) => { button.hidden = false; });
  addButton.addEventListener('click', () => {
    const html = template.innerHTML.replaceAll('__index__', String(nextIndex));
    nextIndex += 1;
    tasks.insertAdjacentHTML('beforeend', html);
    const row = tasks.lastElementChild;
    row.querySelector('[data-remove-task]').hidden = false;
    row.querySelector('input').focus();
  });
  tasks.addEventListener('click', (event) => {
    const button = event.target.closest('[data-remove-task]');
    if (!button) return;
    button.closest('[data-task-row]').remove();
    changed();
  });

  // Documents are built from the saved draft: save what was typed before opening one.
  // The documents are made by a job from the saved draft: save what was typed first.
  document.querySelectorAll('form[data-save-first]').forEach((form) => {
    form.addEventListener('submit', async (event) => {
      if (!dirty && !inFlight) return;
      event.preventDefault();
      if (await save()) form.submit();
    });
  });

  // Issuing: confirm, save what was typed, then post.
  document.querySelectorAll('form[data-confirm]').forEach((issueForm) => {
    issueForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!window.confirm(issueForm.dataset.confirm)) return;
      if (dirty || inFlight) {
        if (!(await save())) return;
      }
      issueForm.submit();
    });
  });

  // The form's own button: save through the same path, without leaving the page.
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    dirty = true;
    await save();
  });

  window.addEventListener('beforeunload', (event) => {
    if (dirty || inFlight) {
      event.preventDefault();
      event.returnValue = messages.msgLeave;
    }
  });
}
