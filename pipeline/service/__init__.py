"""The queued service: an HTTP API that takes reports, a Celery queue, and workers that run the pipeline.

One API process (``juesuan serve``) stores each upload under the data directory by content hash, records
the job in a SQL database and enqueues it; any number of workers (``juesuan worker``) on any machines that
share the broker, the database and the data directory take jobs one at a time. See docs/service.md.
"""
