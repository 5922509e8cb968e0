"""Turn the inputs of an inference run into a list of image files."""
import glob
import os.path as osp
from pathlib import Path
from typing import List, Sequence, Union

from mmengine.logging import print_log

IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff')
_GLOB_CHARS = set('*?[')

PathLike = Union[str, Path]


def _is_image(path: str) -> bool:
    return path.lower().endswith(IMG_EXTENSIONS)


def _folder_images(folder: str) -> List[str]:
    files = sorted(
        osp.join(folder, entry.name) for entry in Path(folder).iterdir()
        if entry.is_file())
    images = [path for path in files if _is_image(path)]
    others = [osp.basename(path) for path in files if not _is_image(path)]
    if others:
        print_log(
            f'{folder}: {len(others)} file(s) without an image extension '
            f'({", ".join(IMG_EXTENSIONS)}) are not read: '
            f'{", ".join(others[:5])}{" ..." if len(others) > 5 else ""}',
            logger='current')
    return images


def _text_list(list_file: str) -> List[str]:
    """Paths of a text list, one a line, relative to the list's folder."""
    root = osp.dirname(osp.abspath(list_file))
    paths = []
    with open(list_file) as f:
        for number, line in enumerate(f, start=1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            path = osp.join(root, line)
            if not osp.isfile(path):
                raise FileNotFoundError(
                    f'{list_file}, line {number}: "{line}" is not a file '
                    f'(looked for {path}). Relative paths are read from the '
                    "list's folder; fix the line or remove it.")
            paths.append(path)
    return paths


def _expand(source: str) -> List[str]:
    if osp.isdir(source):
        return _folder_images(source)
    if osp.isfile(source):
        return _text_list(source) if source.endswith('.txt') else [source]
    if _GLOB_CHARS & set(source):
        return sorted(
            path for path in glob.glob(source, recursive=True)
            if osp.isfile(path))
    raise FileNotFoundError(
        f'Input "{source}" is neither a file, a folder, a glob pattern nor '
        'a .txt list of images.')


def list_images(sources: Union[PathLike, Sequence[PathLike]]) -> List[str]:
    """List the image files of one or several inputs.

    Each input may be:

    - an image file (any format OpenCV reads);
    - a folder: the files directly in it with an image extension
      (:data:`IMG_EXTENSIONS`, any case), sorted by name; other files are
      reported in the log and not read;
    - a glob pattern (``*``, ``?``, ``[...]``; ``**`` recurses), sorted;
    - a ``.txt`` list: one path a line, relative to the list's folder;
      blank lines and lines starting with ``#`` are skipped.

    A file listed twice is kept once, at its first place.

    Args:
        sources (str | Path | Sequence[str | Path]): The inputs.

    Returns:
        list[str]: The image paths.

    Raises:
        FileNotFoundError: An input does not exist, or a list names a
            missing file (the message gives the line).
        ValueError: The inputs hold no image.
    """
    if isinstance(sources, (str, Path)):
        sources = [sources]
    paths, seen = [], set()
    for source in sources:
        found = _expand(str(source))
        if not found:
            raise ValueError(f'Input "{source}" holds no image file.')
        for path in found:
            key = osp.realpath(path)
            if key not in seen:
                seen.add(key)
                paths.append(path)
    if not paths:
        raise ValueError('No input given.')
    return paths
