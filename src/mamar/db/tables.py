"""Table definitions: the journal (source of truth), the vault, accounts and read models.

Timestamps that must sort are stored as ISO 8601 UTC strings with a fixed width
(``YYYY-MM-DDTHH:MM:SS.ffffffZ``) so ordering is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# The hashed ``body`` (RFC 8785 canonical JSON of the whole envelope: position, ids,
# times with precision and phrase, actor, visibility, data) is the record. The other
# columns exist only to index and filter by. On SQLite they are virtual columns the
# database computes from the body (migration 0005), so they cannot disagree with it
# and are never inserted; on PostgreSQL they are stored copies that ``verify`` checks.
# On SQLite ``position`` is an INTEGER PRIMARY KEY, i.e. the table's own row key,
# so reading the journal in order is a plain scan.
Position = BigInteger().with_variant(Integer(), "sqlite")

journal = Table(
    "journal",
    metadata,
    Column("position", Position, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("stream", String(120), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(80), nullable=False),
    Column("operation", String(120), nullable=True),
    Column("occurred_utc", String(27), nullable=False),
    Column("visibility", String(16), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("prev_hash", LargeBinary(32), nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    UniqueConstraint("stream", "version", name="uq_journal_stream_version"),
)
Index("ix_journal_operation_occurred", journal.c.operation, journal.c.occurred_utc)

# One row: the chain head. Appends lock it, so they are serialised on both engines.
# ``tree_size`` and ``frontier`` (the roots of the complete subtrees, largest first, 32
# bytes each) are the Merkle tree's head; ``tree_size`` equals ``position`` after every
# append (see ``journal.tree``).
journal_head = Table(
    "journal_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    Column("tree_size", BigInteger, nullable=False, server_default="0"),
    Column("frontier", LargeBinary, nullable=True),
)

# The root of every complete subtree of two leaves or more of the RFC 6962 tree over
# the journal, keyed by its in-order number (``journal.merkle.node_id``, always odd):
# written once, never changed. Leaves are hashed from the journal's bodies.
merkle_nodes = Table(
    "merkle_nodes",
    metadata,
    Column("id", Position, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)

# Checkpoints signed by the installation's key (C2SP tlog-checkpoint as a signed note).
signed_checkpoints = Table(
    "signed_checkpoints",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("signed_at", String(27), nullable=False),
)

# Organisations that witness the log: each with its own Ed25519 key (a C2SP verifier
# key, signature type 0x04), and the cosignatures (tlog-cosignature) they gave.
witnesses = Table(
    "witnesses",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("organisation", String(120), nullable=False),
    Column("verifier_key", Text, nullable=False),
    Column("added_at", String(27), nullable=False),
)

cosignatures = Table(
    "cosignatures",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("witness", String(200), primary_key=True),
    Column("timestamp", BigInteger, nullable=False),
    Column("line", Text, nullable=False),
    Column("received_at", String(27), nullable=False),
)

checkpoints = Table(
    "journal_checkpoints",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
    Column("recorded_at", String(27), nullable=False),
)

# Each record is encrypted under its own data key; ``wrapped_key`` is that key encrypted
# under the master key (``key_id``). Erasing sets all three to NULL (crypto-shredding).
vault_entries = Table(
    "vault_entries",
    metadata,
    Column("ref", String(36), primary_key=True),
    Column("nonce", LargeBinary(12), nullable=True),
    Column("ciphertext", LargeBinary, nullable=True),
    Column("key_id", String(16), nullable=False),
    Column("created_at", String(27), nullable=False),
    Column("erased_at", String(27), nullable=True),
    Column("wrapped_key", LargeBinary, nullable=True),
)

# The search index of personal records: keyed hashes (HMAC under a key derived from the
# vault key) of the folded words of a name, a year of birth, a place of origin. Nothing in
# clear: without the vault key a term cannot be tested; erasing a record deletes its rows.
# ``field`` says which part a term is of (n: name word, s: its skeleton, y: year, o: origin).
vault_terms = Table(
    "vault_terms",
    metadata,
    Column("ref", String(36), primary_key=True),
    Column("term", String(32), primary_key=True),
    Column("field", String(1), nullable=False),
    Column("subject", String(120), nullable=False),
    Column("operation", String(120), nullable=True),
)
Index("ix_vault_terms_term", vault_terms.c.term, vault_terms.c.operation)

# Credentials only: who an account is (role, party, disabled) is in the journal.
credentials = Table(
    "credentials",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("changed_at", String(27), nullable=False),
)

# Read models: projections of the journal, rebuilt from it at any time.
entities = Table(
    "entities",
    metadata,
    Column("stream", String(120), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("entity_id", String(80), nullable=False),
    Column("operation", String(120), nullable=True),
    Column("visibility", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("occurred_utc", String(27), nullable=False),
    Column("state", Text, nullable=False),
    # The record's short reference ("INC-14"), also in its state: the next one of a kind
    # in an operation is the highest plus one, read from the index below.
    Column("ref", Integer, nullable=True),
)
Index("ix_entities_kind_operation", entities.c.kind, entities.c.operation)
Index("ix_entities_operation_kind_ref", entities.c.operation, entities.c.kind, entities.c.ref)
# A list page: an operation's records of one kind in order, read a page at a time.
Index("ix_entities_operation_kind_stream", entities.c.operation, entities.c.kind, entities.c.stream)
# What changed in an operation since a journal position (the overview reads only that).
Index("ix_entities_operation_position", entities.c.operation, entities.c.position)

entity_history = Table(
    "entity_history",
    metadata,
    Column("stream", String(120), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(40), nullable=False),
    Column("operation", String(120), nullable=True),
    Column("position", BigInteger, nullable=False),
    Column("occurred_utc", String(27), nullable=False),
    Column("state", Text, nullable=False),
)
Index("ix_history_operation_occurred", entity_history.c.operation, entity_history.c.occurred_utc)
# As of a moment: each record's last version then, found in the index alone.
Index(
    "ix_history_stream_occurred",
    entity_history.c.stream,
    entity_history.c.occurred_utc,
    entity_history.c.version,
)

# The organisations a record's access names: its owner and each it is shared with (one
# row each), so the viewer's rule (``Viewer.sees_rows``) is decided in SQL.
entity_members = Table(
    "entity_members",
    metadata,
    Column("stream", String(120), primary_key=True),
    Column("organisation", String(120), primary_key=True),
)

READ_MODEL_TABLES = (entities, entity_history, entity_members)

# Road graphs imported from OpenStreetMap (``mamar import-osm``). Reference data, not
# journal projections: ``rebuild`` leaves them alone.
road_graphs = Table(
    "road_graphs",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("source", Text, nullable=False),
    Column("bbox", String(200), nullable=True),
    Column("imported_at", String(27), nullable=False),
    Column("node_count", Integer, nullable=False),
    Column("edge_count", Integer, nullable=False),
)

road_nodes = Table(
    "road_nodes",
    metadata,
    Column("graph", String(80), primary_key=True),
    Column("node", Integer, primary_key=True, autoincrement=False),
    Column("osm_id", BigInteger, nullable=False),
    Column("lon", Double, nullable=False),
    Column("lat", Double, nullable=False),
)

# ``geometry``: the edge's polyline as little-endian float64 lon/lat pairs.
road_edges = Table(
    "road_edges",
    metadata,
    Column("graph", String(80), primary_key=True),
    Column("edge", Integer, primary_key=True, autoincrement=False),
    Column("source", Integer, nullable=False),
    Column("target", Integer, nullable=False),
    Column("length_m", Double, nullable=False),
    Column("forward", Boolean, nullable=False),
    Column("backward", Boolean, nullable=False),
    Column("osm_way", BigInteger, nullable=False),
    Column("highway", String(40), nullable=False),
    Column("name", Text, nullable=True),
    Column("geometry", LargeBinary, nullable=False),
)

# Named places of an imported extract (``place=*`` nodes), drawn on the base map.
osm_places = Table(
    "osm_places",
    metadata,
    Column("graph", String(80), primary_key=True),
    Column("osm_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("name_ar", Text, nullable=True),
    Column("name_en", Text, nullable=True),
    Column("lon", Double, nullable=False),
    Column("lat", Double, nullable=False),
)

# API bearer tokens: only a SHA-256 of the token is kept; the token is shown once.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("username", String(64), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("created_at", String(27), nullable=False),
    Column("expires_at", String(27), nullable=True),
    Column("revoked_at", String(27), nullable=True),
)

# Failed logins per key (a hashed username, or a client address), for throttling.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("first_at", String(27), nullable=False),
    Column("locked_until", String(27), nullable=True),
)

# Sessions ended before their time (sign-out): a copied cookie stops working at once.
# Keyed by a hash of the session's random CSRF secret; rows may go once ``expires_at`` passes.
revoked_sessions = Table(
    "revoked_sessions",
    metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("expires_at", String(27), nullable=False),
)
