"""Bronwijzer's own exceptions; entry points turn them into one clear line or st.error."""


class BronwijzerError(Exception):
    """Base class: the message says what went wrong and what to do."""


class QuestionError(BronwijzerError):
    """The question cannot be answered as asked (empty, too long, ...)."""


class IndexMissingError(BronwijzerError):
    """No index exists yet in the data folder."""


class IndexDamagedError(BronwijzerError):
    """The active index generation (and its backup) cannot be read back whole."""


class IndexLostError(BronwijzerError):
    """The index is gone or empty although one was built before (see store.BUILT_MARKER)."""


class IndexWriteError(BronwijzerError):
    """Writing the index failed (disk full, I/O error); the previous index stays active."""


class IndexBusyError(BronwijzerError):
    """Another process is writing the index."""


class ModelError(BronwijzerError):
    """The embedding model cannot be loaded or does not match the index."""


class DocumentError(BronwijzerError):
    """A document cannot be read; the message names the file and the reason."""


class StoreUnavailableError(BronwijzerError):
    """The Chroma server named in the settings cannot be reached."""


class SettingsError(BronwijzerError):
    """A setting (BRONWIJZER_… or an override) has a value it cannot take."""
