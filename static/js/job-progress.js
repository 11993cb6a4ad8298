// A job's page: its progress and result arrive over Socket.IO (namespace /jobs).
import { io } from '/static/vendor/socket.io/socket.io.esm.min.js';
import { pageData } from './dom.js';

const card = document.querySelector('[data-job]');
const STATUS = pageData('job-text').states;

function show(job) {
  card.dataset.state = job.state;
  card.querySelector('[data-job-status]').textContent = STATUS[job.state] || job.state;
  const bar = card.querySelector('[data-job-bar]');
  const finished = job.state === 'done' || job.state === 'failed';
  const share = job.total ? (job.progress * 100) / job.total : finished ? 100 : 0;
  bar.style.width = `${share}%`;
  bar.parentElement.setAttribute('aria-valuenow', String(job.progress));
  bar.parentElement.setAttribute('aria-valuemax', String(job.total));
  bar.classList.toggle('progress-bar-striped', !finished);
  bar.classList.toggle('progress-bar-animated', !finished);
  bar.classList.toggle('bg-danger', job.state === 'failed');
  const count = card.querySelector('[data-job-count]');
  if (job.total) count.textContent = `${job.progress} / ${job.total} ${card.dataset.unit || ''}`.trim();
  const error = card.querySelector('[data-job-error]');
  error.textContent = job.error || '';
  error.classList.toggle('d-none', job.state !== 'failed');
  const download = card.querySelector('[data-job-download]');
  if (job.result) {
    download.href = job.result;
    download.classList.remove('d-none');
  }
  if (finished && card.dataset.next) {
    window.location.assign(card.dataset.next); // the page that shows what the job found
  }
}

if (card && !['done', 'failed'].includes(card.dataset.state)) {
  const socket = io('/jobs', { auth: { job_id: Number(card.dataset.jobId) }, transports: ['websocket', 'polling'] });
  socket.on('job', (job) => {
    if (String(job.id) === card.dataset.jobId) show(job);
    if (job.state === 'done' || job.state === 'failed') socket.disconnect();
  });
}
