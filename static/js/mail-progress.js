// Live progress of e-mail batches on the invitations page, over Socket.IO (namespace /jobs).
import { io } from '/static/vendor/socket.io/socket.io.esm.min.js';

const cards = new Map([...document.querySelectorAll('[data-job-id]')].map((card) => [card.dataset.jobId, card]));
const first = document.querySelector('[data-forum-id]');
if (first) {
  const socket = io('/jobs', { auth: { forum_id: Number(first.dataset.forumId) }, transports: ['websocket', 'polling'] });
  socket.on('job', (job) => {
    if (job.kind !== 'mail') return;
    const card = cards.get(String(job.mail_job_id));
    if (!card) {
      if (job.state === 'running') window.location.reload(); // a batch started elsewhere
      return;
    }
    card.querySelector('[data-progress-text]').textContent = `${job.progress} / ${job.total}`;
    const bar = card.querySelector('[data-progress-bar]');
    bar.style.width = `${job.total ? (job.progress * 100) / job.total : 0}%`;
    bar.parentElement.setAttribute('aria-valuenow', String(job.progress));
    if ((job.state === 'done' || job.state === 'failed') && card.dataset.state !== 'done') {
      card.dataset.state = 'done';
      bar.classList.remove('progress-bar-striped', 'progress-bar-animated');
      window.location.reload(); // the counts, the failures and the retry button
    }
  });
}
