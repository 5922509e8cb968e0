"""Importing a network from a checkout of its official repository."""
import sys

import pytest

from datransnet_mmseg.models.official.checkout import import_from_checkout


def fake_checkout(root):
    """A repository whose ``model/__init__.py`` cannot be imported (like
    official ones that import every network and its dependencies) and
    whose network file imports a package that is not installed."""
    (root / 'model' / 'Net').mkdir(parents=True)
    (root / 'model' / '__init__.py').write_text(
        'raise ImportError("model/__init__.py must not run")\n')
    (root / 'model' / 'Net' / 'net.py').write_text(
        'from not_installed_pkg.layers import DropPath\n'
        'from model.Net.blocks import WIDTH\n'
        'class Net:\n    width = WIDTH\n')
    (root / 'model' / 'Net' / 'blocks.py').write_text('WIDTH = 7\n')
    return root


def test_imports_without_package_init_and_with_stand_ins(tmp_path):
    root = fake_checkout(tmp_path)
    module = import_from_checkout(
        str(root), 'model.Net.net',
        {'not_installed_pkg.layers': ('DropPath', )})
    assert module.Net.width == 7
    # nothing of the checkout stays importable or registered
    assert str(root) not in sys.path
    assert 'not_installed_pkg.layers' not in sys.modules
    assert not [name for name in sys.modules if name.startswith('model')]


def test_checkouts_with_the_same_package_names_stay_apart(tmp_path):
    first = fake_checkout(tmp_path / 'a')
    second = fake_checkout(tmp_path / 'b')
    (second / 'model' / 'Net' / 'blocks.py').write_text('WIDTH = 9\n')
    stand_ins = {'not_installed_pkg.layers': ('DropPath', )}
    assert import_from_checkout(str(first), 'model.Net.net',
                                stand_ins).Net.width == 7
    assert import_from_checkout(str(second), 'model.Net.net',
                                stand_ins).Net.width == 9


def test_missing_stand_in_fails_and_wrong_root_is_named(tmp_path):
    root = fake_checkout(tmp_path)
    with pytest.raises(ModuleNotFoundError, match='not_installed_pkg'):
        import_from_checkout(str(root), 'model.Net.net')
    with pytest.raises(FileNotFoundError, match='not a checkout'):
        import_from_checkout(str(tmp_path / 'model'), 'model.Net.net')
