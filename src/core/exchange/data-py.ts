/**
 * Python shared by the exported scripts (train.py, and features.py of a
 * pretrained-features project): how Pawprint places files in splits and
 * classes and which images its seeded hold-out takes, so every script sees
 * the same examples as the page. Needs the scripts' imports (math, typing).
 */
export const PAWPRINT_DATA_PY = String.raw`SPLIT_FOLDERS = {"train": "train", "validation": "validation", "valid": "validation", "val": "validation", "test": "test"}
SPLIT_STREAM = 1  # Pawprint's STREAMS.split
UINT32 = 0xFFFFFFFF


class Example(NamedTuple):
    relpath: str
    split: Optional[str]
    label: str
    sha256: str


def placement(relpath):
    """(split, class) of a path relative to data/: the folder after a split folder, else the top folder."""
    folders = relpath.split("/")[:-1]
    for index, folder in enumerate(folders):
        split = SPLIT_FOLDERS.get(folder.lower())
        if split:
            return split, folders[index + 1] if index + 1 < len(folders) else None
    return None, folders[0] if folders else None


def image_files(data_dir):
    """(relpath, path) of every file under data_dir but hidden ones, sorted by relpath (code points)."""
    files = []
    for path in data_dir.rglob("*"):
        relpath = path.relative_to(data_dir).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in relpath.split("/")):
            files.append((relpath, path))
    return sorted(files)


def mulberry32(seed):
    """Pawprint's generator (src/core/train/random.ts): floats in [0, 1)."""
    state = seed & UINT32

    def next_float():
        nonlocal state
        state = (state + 0x6D2B79F5) & UINT32
        t = ((state ^ (state >> 15)) * (state | 1)) & UINT32
        t = (t ^ (t + (((t ^ (t >> 7)) * (t | 61)) & UINT32))) & UINT32
        return (t ^ (t >> 14)) / 4294967296

    return next_float


def stream_of(seed, stream):
    """Pawprint's streamOf: one independent generator per purpose of a run."""
    h = (seed ^ (stream * 0x9E3779B9)) & UINT32
    h = ((h ^ (h >> 16)) * 0x85EBCA6B) & UINT32
    h = ((h ^ (h >> 13)) * 0xC2B2AE35) & UINT32
    return mulberry32(h ^ (h >> 16))


def shuffled(items, random):
    """Fisher-Yates on a copy, drawing as Pawprint's shuffled does."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = math.floor(random() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def hold_out_count(n, fraction):
    if not 0 < fraction < 1 or n < 2:
        return 0
    return min(n - 1, max(1, math.floor(n * fraction + 0.5)))  # JavaScript's Math.round


def assign_splits(examples, seed, holdout):
    """Indices of the training and validation examples, as Pawprint's assignSplits."""
    has_validation_folder = any(example.split == "validation" for example in examples)
    held = set()
    if not has_validation_folder:
        by_class = {}
        for example in examples:
            if example.split in ("train", None):
                by_class.setdefault(example.label, []).append(example.sha256)
        random = stream_of(seed, SPLIT_STREAM)
        for label in sorted(by_class):
            images = list(dict.fromkeys(by_class[label]))  # distinct, in path order
            held.update(shuffled(images, random)[: hold_out_count(len(images), holdout)])
    train, validation = [], []
    for index, example in enumerate(examples):
        if example.split == "validation" or (example.split != "test" and example.sha256 in held):
            validation.append(index)
        elif example.split != "test":
            train.append(index)
    return train, validation
`;
