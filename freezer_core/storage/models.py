"""SQLAlchemy models of the Freezer API tables.

``actions`` holds one row per action; the agent document is kept as the
JSON text the client sent, so it round-trips key for key. Search is
answered from two index tables kept in the same transaction as the row:

* ``action_terms``: one row per (key or dotted path, canonical value) of
  :func:`freezer_core.search.index_entries`, indexed by project, name and
  value, so an equality term is an index lookup;
* ``action_texts``: one row per case-folded string value of
  :func:`freezer_core.search.text_values`, for ``_all`` free text.
"""

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import mysql

#: Longest project or user id stored (Keystone ids are at most 64
#: characters; 255 leaves room for other identity backends).
ID_LENGTH = 255
#: Longest action id (spec: 1-64 characters).
ACTION_ID_LENGTH = 64
#: Longest term name or value stored; longer ones are digested
#: (:func:`freezer_core.jsondoc.index_key`).
TERM_LENGTH = 130

# Microsecond timestamps on every engine: MySQL's DATETIME drops the
# fraction unless asked, and the stable order relies on created_at.
Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')
# 64-bit surrogate keys; SQLite only autoincrements INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# MEDIUMTEXT on MySQL: its TEXT stops at 64 KiB.
LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')


class Base(orm.DeclarativeBase):
    """Declarative base of the Freezer API models."""


class Action(Base):
    """One stored action (spec ``actions.md``, "The action document")."""

    __tablename__ = 'actions'
    __table_args__ = (
        sa.UniqueConstraint('action_id', name='uniq_actions0action_id'),
        # The stable order of every list: project, created_at, action_id.
        sa.Index('ix_actions_project_order', 'project_id', 'created_at',
                 'action_id'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    id = sa.Column(BigId, primary_key=True, autoincrement=True)
    action_id = sa.Column(sa.String(ACTION_ID_LENGTH), nullable=False)
    project_id = sa.Column(sa.String(ID_LENGTH), nullable=False)
    user_id = sa.Column(sa.String(ID_LENGTH), nullable=False)
    freezer_action = sa.Column(LongText, nullable=False)
    max_retries = sa.Column(sa.Integer, nullable=False)
    max_retries_interval = sa.Column(sa.Integer, nullable=False)
    mandatory = sa.Column(sa.Boolean, nullable=False)
    version = sa.Column(sa.Integer, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)


class ActionTerm(Base):
    """One (name, value) pair an action offers to equality search."""

    __tablename__ = 'action_terms'
    __table_args__ = (
        sa.Index('ix_action_terms_lookup', 'project_id', 'name', 'value',
                 'action_pk'),
        sa.Index('ix_action_terms_action', 'action_pk'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    id = sa.Column(BigId, primary_key=True, autoincrement=True)
    action_pk = sa.Column(BigId, sa.ForeignKey('actions.id',
                                               ondelete='CASCADE'),
                          nullable=False)
    project_id = sa.Column(sa.String(ID_LENGTH), nullable=False)
    name = sa.Column(sa.String(TERM_LENGTH), nullable=False)
    value = sa.Column(sa.String(TERM_LENGTH), nullable=False)


class ActionText(Base):
    """One case-folded string value of an action, for free-text search."""

    __tablename__ = 'action_texts'
    __table_args__ = (
        sa.Index('ix_action_texts_action', 'action_pk'),
        sa.Index('ix_action_texts_project', 'project_id'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    id = sa.Column(BigId, primary_key=True, autoincrement=True)
    action_pk = sa.Column(BigId, sa.ForeignKey('actions.id',
                                               ondelete='CASCADE'),
                          nullable=False)
    project_id = sa.Column(sa.String(ID_LENGTH), nullable=False)
    text = sa.Column(LongText, nullable=False)
