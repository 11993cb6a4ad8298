// Live progress of e-mail batches on the invitations page, over Socket.IO (namespace /jobs).
import { io } from '/static/vendor/socket.io/socket.io.esm.min.js';

const cards = new Map([...document.querySelectorAll('[data-job-id]')].map((card) => [card.dataset.jobId, card]));
const first = document.querySelector('[data-forum-id]');
if (first) {
  const socket = io('/jobs', { auth: { forum_id: Number(first.dataset.forumId) }, transports: ['websocket', 'polling'] });
  socket.on('mail_progress', (progress) => {
    const card = cards.get(String(progress.job_id));
    if (!card) return;
    const done = progress.sent + progress.failed;
    card.querySelector('[data-progress-text]').textContent =
      `${progress.sent} / ${progress.total}` + (progress.failed ? ` · ${progress.failed} ✗` : '');
    const bar = card.querySelector('[data-progress-bar]');
    bar.style.width = `${progress.total ? (done * 100) / progress.total : 0}%`;
    bar.parentElement.setAttribute('aria-valuenow', String(done));
    if (progress.status === 'done') {
      bar.classList.remove('progress-bar-striped', 'progress-bar-animated');
      if (progress.failed) window.location.reload(); // show the failures and the retry button
    }
  });
}
