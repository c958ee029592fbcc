"""Persistence through SQLAlchemy 2: API keys, instances, jobs and their solutions, policy
comparisons, calendar feeds.

A SQLite file by default, PostgreSQL by URL (``postgresql+psycopg://user:pw@host/db``; a plain
``postgresql://`` URL is read as psycopg 3). Bodies are stored as JSON text, so both behave alike.
Every query about a job names its tenant: another tenant's job is simply not found.

A job is a solve, or a comparison when it has a `compare_jobs` row (the policies, the team, each
policy's progress, the table once over; each policy's solution in `policy_solutions`). New kinds
of data get new tables, never new columns, so `create_all` is all an existing database needs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rotasat.models import Assignment, Instance, Solution, SolveParameters
from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

ACTIVE = ("queued", "running")
FINISHED = ("completed", "failed", "cancelled", "interrupted")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes: they were stored in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = mapped_column(String(200), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex, never the key
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class StoredInstance(Base):
    __tablename__ = "instances"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(200), index=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"))
    instance_name: Mapped[str] = mapped_column(String(500))
    parameters: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    objective: Mapped[int | None] = mapped_column(BigInteger)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    elapsed: Mapped[float] = mapped_column(Float, default=0.0)
    solutions: Mapped[int] = mapped_column(Integer, default=0)
    solution_status: Mapped[str | None] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text)
    resumed: Mapped[int] = mapped_column(Integer, default=0)
    comparing: Mapped[CompareJob | None] = relationship(lazy="joined", uselist=False)

    @property
    def params(self) -> SolveParameters:
        return SolveParameters.model_validate_json(self.parameters)

    @property
    def kind(self) -> str:
        """'solve', or 'compare' for a comparison of policies."""
        return "solve" if self.comparing is None else "compare"


class CompareJob(Base):
    """A comparison's request and progress: `policies` is the list of PolicyChoice records
    (JSON), `progress` a state per policy (JSON), `comparison` the table once it is over."""

    __tablename__ = "compare_jobs"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    team: Mapped[str | None] = mapped_column(String(200))
    policies: Mapped[str] = mapped_column(Text)
    progress: Mapped[str] = mapped_column(Text)
    comparison: Mapped[str | None] = mapped_column(Text, deferred=True)


class PolicySolution(Base):
    """The solution of one policy of a comparison (the one being solved when it was stopped
    included), by its position in the request."""

    __tablename__ = "policy_solutions"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[str] = mapped_column(Text)


class Feed(Base):
    """A calendar subscription: one engineer's or one team's duties in a job's schedule, read
    with an unguessable token (stored only as its SHA-256 hash) instead of an API key."""

    __tablename__ = "feeds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(200), index=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    engineer: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class StoredSolution(Base):
    """A job's best solution: the final one, or the best schedule so far while it runs."""

    __tablename__ = "solutions"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    final: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL and a busy timeout for concurrent writers."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class Store:
    """All the queries the API makes."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        Base.metadata.create_all(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    # -- keys --------------------------------------------------------------------------------

    def create_key(self, tenant: str) -> str:
        """A new key for `tenant`; only its hash is stored, so this is the one chance to see it."""
        key = "rs_" + secrets.token_urlsafe(32)
        with self.session() as s:
            s.add(ApiKey(tenant=tenant, key_hash=hash_key(key)))
        return key

    def tenant_of(self, key: str) -> str | None:
        with self.session() as s:
            return s.scalar(select(ApiKey.tenant).where(ApiKey.key_hash == hash_key(key)))

    def has_keys(self) -> bool:
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(ApiKey)) != 0

    # -- jobs --------------------------------------------------------------------------------

    def add_job(self, tenant: str, instance: Instance, params: SolveParameters,
                compare: CompareJob | None = None) -> Job:
        """Store the instance and a queued job for it (a comparison, given its request)."""
        instance_id, job_id = secrets.token_hex(8), secrets.token_hex(8)
        with self.session() as s:
            s.add(StoredInstance(id=instance_id, tenant=tenant, name=instance.name,
                                 body=instance.model_dump_json(exclude_defaults=True)))
            s.flush()
            job = Job(id=job_id, tenant=tenant, instance_id=instance_id,
                      instance_name=instance.name, parameters=params.model_dump_json(),
                      status="queued", created_at=now(), elapsed=0.0, solutions=0, resumed=0)
            s.add(job)
            s.flush()
            if compare is not None:
                compare.job_id = job_id
                s.add(compare)
            job.comparing = compare
        return job

    def job(self, job_id: str, tenant: str | None = None) -> Job | None:
        """The job, if it exists and (when `tenant` is given) belongs to that tenant."""
        with self.session() as s:
            job = s.get(Job, job_id)
        if job is None or (tenant is not None and job.tenant != tenant):
            return None
        return job

    def jobs(self, tenant: str, limit: int, offset: int, status: str | None = None,
             kind: str | None = None) -> tuple[list[Job], int]:
        """A page of the tenant's jobs, newest first, and how many there are in all."""
        where = [Job.tenant == tenant] + ([Job.status == status] if status else [])
        if kind is not None:
            comparing = select(CompareJob.job_id).scalar_subquery()
            where.append(Job.id.in_(comparing) if kind == "compare"
                         else Job.id.not_in(comparing))
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(Job).where(*where)) or 0
            rows = s.scalars(
                select(Job).where(*where).order_by(Job.created_at.desc(), Job.id)
                .limit(limit).offset(offset)
            ).unique().all()
        return list(rows), total

    def instance(self, job: Job) -> Instance:
        with self.session() as s:
            body = s.scalar(select(StoredInstance.body)
                            .where(StoredInstance.id == job.instance_id))
        return Instance.model_validate_json(body or "{}")

    def update_job(self, job_id: str, **values: Any) -> None:
        with self.session() as s:
            s.execute(update(Job).where(Job.id == job_id).values(**values))

    def save_solution(self, job_id: str, solution: Solution, final: bool) -> None:
        with self.session() as s:
            row = s.get(StoredSolution, job_id)
            if row is None:
                s.add(StoredSolution(job_id=job_id, body=solution.model_dump_json(), final=final,
                                     updated_at=now()))
            else:
                row.body, row.final, row.updated_at = solution.model_dump_json(), final, now()

    def solution(self, job_id: str) -> Solution | None:
        with self.session() as s:
            body = s.scalar(select(StoredSolution.body).where(StoredSolution.job_id == job_id))
        return None if body is None else Solution.model_validate_json(body)

    def best_schedule(self, job_id: str) -> list[Assignment]:
        solution = self.solution(job_id)
        return [] if solution is None else solution.assignments

    # -- comparisons -------------------------------------------------------------------------

    def update_compare(self, job_id: str, **values: Any) -> None:
        with self.session() as s:
            s.execute(update(CompareJob).where(CompareJob.job_id == job_id).values(**values))

    def comparison(self, job_id: str) -> str | None:
        """The Comparison JSON of a comparison that is over."""
        with self.session() as s:
            return s.scalar(select(CompareJob.comparison).where(CompareJob.job_id == job_id))

    def save_policy_solution(self, job_id: str, position: int, solution: Solution) -> None:
        with self.session() as s:
            row = s.get(PolicySolution, (job_id, position))
            if row is None:
                s.add(PolicySolution(job_id=job_id, position=position,
                                     body=solution.model_dump_json()))
            else:
                row.body = solution.model_dump_json()

    def policy_solution(self, job_id: str, position: int) -> Solution | None:
        with self.session() as s:
            body = s.scalar(select(PolicySolution.body).where(
                PolicySolution.job_id == job_id, PolicySolution.position == position))
        return None if body is None else Solution.model_validate_json(body)

    def restart_compare(self, job_id: str, progress: str) -> None:
        """A comparison queued again: every policy waits again; solutions and table go."""
        with self.session() as s:
            s.execute(delete(PolicySolution).where(PolicySolution.job_id == job_id))
            s.execute(update(CompareJob).where(CompareJob.job_id == job_id)
                      .values(progress=progress, comparison=None))

    # -- calendar feeds ----------------------------------------------------------------------

    def add_feed(self, job: Job, engineer: str | None, team: str | None) -> tuple[Feed, str]:
        """A new feed of `job` and its token; only the token's hash is kept, so this is the one
        chance to see it."""
        token = "cal_" + secrets.token_urlsafe(32)
        feed = Feed(id=secrets.token_hex(8), tenant=job.tenant, job_id=job.id,
                    engineer=engineer, team=team, token_hash=hash_key(token), created_at=now(),
                    revoked=False)
        with self.session() as s:
            s.add(feed)
        return feed, token

    def feeds(self, job: Job) -> list[Feed]:
        """The job's feeds that are not revoked, oldest first."""
        with self.session() as s:
            return list(s.scalars(select(Feed).where(
                Feed.job_id == job.id, Feed.tenant == job.tenant, Feed.revoked.is_(False))
                .order_by(Feed.created_at, Feed.id)).all())

    def feed(self, job: Job, feed_id: str) -> Feed | None:
        with self.session() as s:
            feed = s.get(Feed, feed_id)
        if feed is None or feed.job_id != job.id or feed.tenant != job.tenant or feed.revoked:
            return None
        return feed

    def revoke_feed(self, feed_id: str) -> None:
        with self.session() as s:
            s.execute(update(Feed).where(Feed.id == feed_id).values(revoked=True))

    def feed_of_token(self, token: str) -> Feed | None:
        """The feed a token opens, unless it was revoked."""
        with self.session() as s:
            return s.scalar(select(Feed).where(Feed.token_hash == hash_key(token),
                                               Feed.revoked.is_(False)))

    # -- restarts ----------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """After a restart: running jobs become interrupted; returns the queued ones, oldest
        first, to queue again."""
        with self.session() as s:
            s.execute(update(Job).where(Job.status == "running")
                      .values(status="interrupted", finished_at=now(),
                              error="the server stopped while this job was running"))
            queued = s.scalars(select(Job.id).where(Job.status == "queued")
                               .order_by(Job.created_at, Job.id)).all()
        return list(queued)
