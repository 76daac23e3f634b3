"""Named errors raised inside `qa`; the CLI and the app turn them into one readable line."""


class QAError(Exception):
    """Base of every error a user can cause or fix."""


class CorpusError(QAError):
    """The corpus folder is missing, empty or has no readable document."""


class IndexNotFound(QAError):
    """No index has been built at this location."""


class IndexCorrupt(QAError):
    """The index files are damaged or inconsistent."""


class BuildError(QAError):
    """Building the index could not go on (its worker processes would not start)."""


class EmptyQuestion(QAError):
    """The question or query has no words to search for."""


class InputTooLong(QAError):
    """The question or query is longer than the limit."""


class EvaluationFileError(QAError):
    """The evaluation file is missing or not in the expected format."""


class IndexFolderRefused(QAError):
    """The index folder holds files the index did not write, or overlaps the corpus: building there could delete them."""


class IndexBusy(QAError):
    """Another build of the same index held its lock for longer than the wait allowed."""
