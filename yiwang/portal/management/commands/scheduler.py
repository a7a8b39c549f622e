from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.core.management.base import BaseCommand

from yiwang.schedule import periodic_jobs


class Command(BaseCommand):
    help = "Enqueue the periodic jobs of yiwang.schedule on their cron triggers (one process only)."

    def handle(self, *args, **options):
        scheduler = BlockingScheduler(timezone="Asia/Shanghai")
        for path, task, cron in periodic_jobs():
            scheduler.add_job(task.enqueue, CronTrigger(**cron), id=path, coalesce=True)
            self.stdout.write(f"scheduled {path} {cron}")
        scheduler.start()
