"""Every kind of job, registered with the runner: imported by the app in every process."""

from forum.delegates import jobs as delegate_jobs
from forum.invitations import jobs as invitation_jobs
from forum.minutes import jobs as minutes_jobs
from forum.qa import jobs as question_jobs

__all__ = ['delegate_jobs', 'invitation_jobs', 'minutes_jobs', 'question_jobs']
