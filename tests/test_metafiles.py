"""Model-zoo metadata (``model-index.yml`` and one ``metafile.yaml`` per
model folder, as OpenMMLab projects ship it) matches the configs."""
from pathlib import Path

import pytest
import yaml
from mmengine.config import Config

REPO_ROOT = Path(__file__).resolve().parents[1]
MODEL_FOLDERS = sorted(
    path for path in (REPO_ROOT / 'configs').iterdir()
    if path.is_dir() and path.name != '_base_')


def load_yaml(path):
    return yaml.safe_load(path.read_text())


def test_model_index_imports_every_model_folder():
    imports = load_yaml(REPO_ROOT / 'model-index.yml')['Import']
    assert sorted(imports) == sorted(
        f'configs/{folder.name}/metafile.yaml' for folder in MODEL_FOLDERS)
    for path in imports:
        assert (REPO_ROOT / path).is_file(), path


@pytest.mark.parametrize('folder', MODEL_FOLDERS, ids=lambda p: p.name)
def test_metafile_names_every_config_of_its_folder(folder):
    meta = load_yaml(folder / 'metafile.yaml')
    collections = {c['Name']: c for c in meta['Collections']}
    for collection in collections.values():
        assert (REPO_ROOT / collection['README']).is_file()
        assert collection['Paper']['URL'].startswith('https://')
    listed = set()
    for model in meta['Models']:
        config = REPO_ROOT / model['Config']
        assert config.is_file(), model['Config']
        assert config.parent == folder
        assert model['Name'] == config.stem
        assert model['In Collection'] in collections
        cfg = Config.fromfile(str(config))
        metadata = model['Metadata']
        assert metadata['Batch Size'] == cfg.train_dataloader.batch_size
        assert metadata['Iterations'] == cfg.train_cfg.max_iters
        assert cfg.model.backbone.type in metadata['Architecture']
        assert cfg.model.decode_head.type in metadata['Architecture']
        assert metadata['Training Data'] in collections[
            model['In Collection']]['Metadata']['Training Data']
        listed.add(config.name)
    assert listed == {path.name for path in folder.glob('*.py')}
