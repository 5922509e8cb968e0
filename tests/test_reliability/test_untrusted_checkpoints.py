"""Checkpoints from elsewhere run no code, whichever tool loads them."""
import os

import pytest
import torch
import torch.nn as nn

from datransnet_mmseg.compat import safe_torch_load


class RunsShellCommand:
    """Unpickling this object would run a shell command."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command, )


@pytest.fixture(scope='module')
def trained_checkpoint(tmp_path_factory, tools, tiny_sirst):
    work_dir = tmp_path_factory.mktemp('trained')
    tools.run('train.py', tools.config, '--work-dir', work_dir,
              '--cfg-options', *tools.options(tiny_sirst, max_iters=2))
    return work_dir / 'iter_2.pth'


def poisoned_copy(checkpoint, path, victim):
    """The checkpoint, plus an entry whose unpickling would create victim."""
    content = safe_torch_load(checkpoint)
    content['meta']['note'] = RunsShellCommand(f'touch {victim}')
    torch.save(content, path)
    return path


REFUSED = 'references code that was not run'


def test_tools_test_runs_no_code(tools, tiny_sirst, trained_checkpoint,
                                 tmp_path):
    victim = tmp_path / 'pwned'
    evil = poisoned_copy(trained_checkpoint, tmp_path / 'evil.pth', victim)
    result = tools.run('test.py', tools.config, evil, '--work-dir',
                       tmp_path / 'test', '--cfg-options',
                       *tools.options(tiny_sirst))
    assert REFUSED in result.stderr
    assert not victim.exists()


def test_resume_runs_no_code(tools, tiny_sirst, trained_checkpoint,
                             tmp_path):
    victim = tmp_path / 'pwned'
    work_dir = tmp_path / 'run'
    work_dir.mkdir()
    evil = poisoned_copy(trained_checkpoint, work_dir / 'iter_2.pth', victim)
    (work_dir / 'last_checkpoint').write_text(str(evil))
    result = tools.run('train.py', tools.config, '--work-dir', work_dir,
                       '--resume', '--cfg-options',
                       *tools.options(tiny_sirst, max_iters=3))
    assert REFUSED in result.stderr
    assert 'resumed epoch: 0, iter: 2' in result.stdout + result.stderr
    assert not victim.exists()


def test_load_from_runs_no_code(tools, tiny_sirst, trained_checkpoint,
                                tmp_path):
    victim = tmp_path / 'pwned'
    evil = poisoned_copy(trained_checkpoint, tmp_path / 'evil.pth', victim)
    result = tools.run('train.py', tools.config, '--work-dir',
                       tmp_path / 'run', '--cfg-options',
                       *tools.options(tiny_sirst, max_iters=1),
                       f'load_from={evil}')
    assert REFUSED in result.stderr
    assert not victim.exists()


def test_checkpoint_of_another_architecture_is_refused(
        tools, tiny_sirst, tmp_path):
    other = tmp_path / 'other.pth'
    torch.save(dict(state_dict=nn.Conv2d(1, 8, 3).state_dict()), other)
    result = tools.run('test.py', tools.config, other, '--work-dir',
                       tmp_path / 'test', '--cfg-options',
                       *tools.options(tiny_sirst), expect_success=False)
    assert result.returncode != 0
    assert 'does not fit the model of the config' in result.stderr
    assert 'missing keys (e.g. backbone.' in result.stderr
    assert 'unexpected keys (e.g. bias, weight)' in result.stderr


def test_mismatched_shapes_are_listed(tools, tiny_sirst, trained_checkpoint,
                                      tmp_path):
    content = safe_torch_load(trained_checkpoint)
    key = next(k for k in content['state_dict'] if k.endswith('weight'))
    content['state_dict'][key] = torch.zeros(3, 3)
    bad = tmp_path / 'bad.pth'
    torch.save(content, bad)
    result = tools.run('test.py', tools.config, bad, '--work-dir',
                       tmp_path / 'test', '--cfg-options',
                       *tools.options(tiny_sirst), expect_success=False)
    assert f'1 shape mismatches (e.g. {key} (3, 3) != ' in result.stderr


def test_converter_runs_no_code(tools, shared, tmp_path):
    victim = tmp_path / 'pwned'
    official = shared('reference', 'datransnet-official',
                      'official_img256_seed0.pth.tar')
    content = safe_torch_load(official)
    content['total_loss'] = [RunsShellCommand(f'touch {victim}')]
    evil = tmp_path / 'evil.pth.tar'
    torch.save(content, evil)
    result = tools.run('model_converters/datransnet2mmseg.py', evil,
                       tmp_path / 'converted.pth')
    assert REFUSED in result.stderr
    assert not victim.exists()
    assert 'dropped 755,328 parameters' in result.stdout


def test_inference_api_runs_no_code(tools, trained_checkpoint, tmp_path):
    from mmseg.apis import init_model

    from datransnet_mmseg.apis import IRSTDInferencer
    victim = tmp_path / 'pwned'
    evil = poisoned_copy(trained_checkpoint, tmp_path / 'evil.pth', victim)
    options = dict(model=dict(neck=dict(img_size=64)))
    with pytest.warns(UserWarning, match=REFUSED):
        IRSTDInferencer(
            str(tools.config), str(evil), device='cpu', cfg_options=options)
    with pytest.warns(UserWarning, match=REFUSED):
        init_model(
            str(tools.config), str(evil), device='cpu', cfg_options=options)
    assert not victim.exists()


def test_inference_api_refuses_another_architecture(tools, tmp_path):
    from datransnet_mmseg.apis import IRSTDInferencer
    other = tmp_path / 'other.pth'
    torch.save(dict(state_dict=nn.Conv2d(1, 8, 3).state_dict()), other)
    with pytest.raises(ValueError, match='missing keys'):
        IRSTDInferencer(str(tools.config), str(other), device='cpu')


# ------------------------------------------------ checkpoints over HTTP
@pytest.fixture
def http_server(tmp_path):
    """Serve ``tmp_path / 'served'`` on localhost; yields ``(root URL,
    folder, requests)`` where ``requests`` lists the paths fetched."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    folder = tmp_path / 'served'
    folder.mkdir()
    requests = []

    class Handler(SimpleHTTPRequestHandler):

        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(
        ('127.0.0.1', 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f'http://127.0.0.1:{server.server_address[1]}', folder, requests
    server.shutdown()
    server.server_close()


def test_tools_test_reads_a_checkpoint_over_http_once(
        tools, tiny_sirst, trained_checkpoint, http_server, tmp_path):
    url, folder, requests = http_server
    (folder / 'model.pth').write_bytes(trained_checkpoint.read_bytes())
    result = tools.run('test.py', tools.config, f'{url}/model.pth',
                       '--work-dir', tmp_path / 'test', '--cfg-options',
                       *tools.options(tiny_sirst),
                       TORCH_HOME=str(tmp_path / 'torch'))
    assert 'mIoU' in result.stdout + result.stderr
    assert REFUSED not in result.stderr
    assert requests == ['/model.pth']
    cached = tmp_path / 'torch' / 'hub' / 'checkpoints' / 'model.pth'
    assert cached.read_bytes() == trained_checkpoint.read_bytes()


def test_resume_from_a_url(tools, tiny_sirst, trained_checkpoint,
                           http_server, tmp_path):
    """mmseg's way to resume a given checkpoint (``--resume`` with
    ``load_from``) takes a URL as well."""
    url, folder, requests = http_server
    (folder / 'iter_2.pth').write_bytes(trained_checkpoint.read_bytes())
    result = tools.run('train.py', tools.config, '--work-dir',
                       tmp_path / 'run', '--resume', '--cfg-options',
                       *tools.options(tiny_sirst, max_iters=3),
                       f'load_from={url}/iter_2.pth',
                       TORCH_HOME=str(tmp_path / 'torch'))
    assert 'resumed epoch: 0, iter: 2' in result.stdout + result.stderr
    assert (tmp_path / 'run' / 'iter_3.pth').is_file()
    assert requests == ['/iter_2.pth']


def test_http_checkpoint_runs_no_code(tools, tiny_sirst, trained_checkpoint,
                                      http_server, tmp_path):
    url, folder, _ = http_server
    victim = tmp_path / 'pwned'
    poisoned_copy(trained_checkpoint, folder / 'evil.pth', victim)
    for tool, args in (
            ('test.py', [tools.config, f'{url}/evil.pth', '--work-dir',
                         tmp_path / 'test', '--cfg-options',
                         *tools.options(tiny_sirst)]),
            ('train.py', [tools.config, '--work-dir', tmp_path / 'run',
                          '--cfg-options',
                          *tools.options(tiny_sirst, max_iters=1),
                          f'load_from={url}/evil.pth'])):
        result = tools.run(tool, *args, TORCH_HOME=str(tmp_path / 'torch'))
        assert REFUSED in result.stderr, tool
        assert 'Load checkpoint from http' in result.stdout + result.stderr
    assert not victim.exists()


def test_inferencer_and_converter_read_urls(tools, shared, trained_checkpoint,
                                            http_server, tmp_path,
                                            monkeypatch):
    from datransnet_mmseg.apis import IRSTDInferencer
    url, folder, requests = http_server
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch'))
    victim = tmp_path / 'pwned'
    poisoned_copy(trained_checkpoint, folder / 'evil.pth', victim)
    with pytest.warns(UserWarning, match=REFUSED):
        IRSTDInferencer(
            str(tools.config), f'{url}/evil.pth', device='cpu',
            cfg_options=dict(model=dict(neck=dict(img_size=64))))
    assert not victim.exists()

    official = shared('reference', 'datransnet-official',
                      'official_img256_seed0.pth.tar')
    (folder / 'official.pth.tar').write_bytes(official.read_bytes())
    result = tools.run('model_converters/datransnet2mmseg.py',
                       f'{url}/official.pth.tar', tmp_path / 'converted.pth',
                       TORCH_HOME=str(tmp_path / 'torch2'))
    assert 'dropped 755,328 parameters' in result.stdout
    assert requests == ['/evil.pth', '/official.pth.tar']
