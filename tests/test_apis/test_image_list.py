"""Input listing of the inference tools, and output names."""
import os.path as osp

import pytest

from datransnet_mmseg.apis import list_images, output_names


@pytest.fixture
def tree(tmp_path):
    """a/{x.png, y.PNG, notes.txt}, b/{x.png, z.bmp}, list.txt."""
    for name in ('a/x.png', 'a/y.PNG', 'a/notes.txt', 'b/x.png', 'b/z.bmp'):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b'not decoded here')
    return tmp_path


def test_folder_sorted_images_only(tree, capsys):
    paths = list_images(str(tree / 'a'))
    assert [osp.basename(p) for p in paths] == ['x.png', 'y.PNG']
    # the skipped file is reported, not dropped silently
    assert 'notes.txt' in capsys.readouterr().out


def test_glob_text_list_and_duplicates(tree):
    (tree / 'list.txt').write_text('# comment\n\nb/z.bmp\n a/x.png \n')
    paths = list_images([str(tree / 'list.txt'), str(tree / '*' / 'x.png')])
    expected = [tree / 'b/z.bmp', tree / 'a/x.png', tree / 'b/x.png']
    assert [osp.realpath(p) for p in paths] == [
        osp.realpath(p) for p in expected
    ]


def test_recursive_glob(tree):
    assert len(list_images(str(tree / '**' / '*.png'))) == 2


def test_missing_file_in_list_names_the_line(tree):
    (tree / 'list.txt').write_text('a/x.png\nmissing.png\n')
    with pytest.raises(FileNotFoundError, match=r'line 2: "missing.png"'):
        list_images(str(tree / 'list.txt'))


def test_bad_inputs(tree):
    with pytest.raises(FileNotFoundError, match='nothere'):
        list_images(str(tree / 'nothere'))
    (tree / 'empty').mkdir()
    with pytest.raises(ValueError, match='holds no image'):
        list_images(str(tree / 'empty'))
    with pytest.raises(ValueError, match='holds no image'):
        list_images(str(tree / '*.jpg'))


def test_output_names_keep_folders_apart(tree):
    names = output_names([str(tree / 'a/x.png'), str(tree / 'b/x.png')])
    assert names == [osp.join('a', 'x'), osp.join('b', 'x')]
    assert output_names([str(tree / 'a/x.png')]) == ['x']
    (tree / 'a/x.bmp').write_bytes(b'')
    with pytest.raises(ValueError, match='same outputs'):
        output_names([str(tree / 'a/x.png'), str(tree / 'a/x.bmp')])
