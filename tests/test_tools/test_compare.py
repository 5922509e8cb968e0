"""tools/analysis_tools/compare.py on hand-written work dirs."""
import csv
import json

from mmengine.config import Config

# An evaluation as tools/test.py logs it (IRSTDMetric keys, % and 1e-6).
TEST_RECORD = dict(
    mIoU=71.25,
    nIoU=69.5,
    Pd=95.41,
    Fa=12.5,
    pixel_precision=80.,
    pixel_recall=75.,
    pixel_F1=77.42,
    target_precision=90.,
    target_recall=95.41,
    target_F1=92.63,
    data_time=0.01,
    time=0.05)


def _log_lines(stamps):
    return ''.join(f'{stamp} - mmengine - INFO - line\n' for stamp in stamps)


def fake_work_dir(root, config):
    """A trained work dir: one training run resumed once, one test run."""
    first = root / '20260101_100000'
    (first / 'vis_data').mkdir(parents=True)
    (first / '20260101_100000.log').write_text(
        'System environment:\n' +
        _log_lines(['2026/01/01 10:00:00', '2026/01/01 10:10:00']))
    records = [
        dict(lr=5e-4, loss=0.9, time=t, iter=i, step=i)
        for i, t in ((50, 1.0), (100, 3.0))
    ] + [dict(mIoU=10., step=100)]
    (first / 'vis_data' / 'scalars.json').write_text(''.join(
        json.dumps(r) + '\n' for r in records))
    second = root / '20260101_120000'
    (second / 'vis_data').mkdir(parents=True)
    (second / '20260101_120000.log').write_text(
        _log_lines(['2026/01/01 12:00:00', '2026/01/01 12:30:30']))
    (second / 'vis_data' / 'scalars.json').write_text(
        json.dumps(dict(lr=5e-5, loss=0.5, time=2.0, iter=150, step=150)) +
        '\n')
    config.dump(str(second / 'vis_data' / 'config.py'))
    test = root / 'test' / '20260101_130000'
    test.mkdir(parents=True)
    (test / '20260101_130000.log').write_text(
        _log_lines(['2026/01/01 13:00:00']))
    (test / '20260101_130000.json').write_text(
        json.dumps(TEST_RECORD) + '\n')
    return root


def test_compare_collects_a_table(tools, tmp_path):
    config = Config.fromfile(str(tools.config))
    trained = fake_work_dir(tmp_path / 'datransnet', config)
    untested = tmp_path / 'untested'
    untested.mkdir()
    result = tools.run('analysis_tools/compare.py', trained, untested,
                       '--names', 'DATransNet', 'Other', '--shape', '256',
                       '256', '--speed-iters', '1', '--device', 'cpu',
                       '--out', tmp_path / 'table' / 'results')
    with open(tmp_path / 'table' / 'results.csv') as f:
        rows = list(csv.DictReader(f))
    row = rows[0]
    assert row['Model'] == 'DATransNet'
    assert float(row['mIoU']) == 71.25 and float(row['nIoU']) == 69.5
    assert float(row['Pd']) == 95.41 and float(row['Fa (1e-6)']) == 12.5
    assert float(row['F1']) == 77.42  # the pixel F1
    assert row['Iters'] == '150'
    assert float(row['s/iter']) == 2.0  # median of 1, 3 and 2
    # 10 min + 30 min 30 s of the two training runs; the test run excluded
    assert float(row['Train time (s)']) == 600 + 1830
    # configs/datransnet/README.md: 2,175,401 parameters, 6.65 G MACs
    assert float(row['Params (M)']) * 1e6 == 2175401
    assert round(float(row['MACs (G)']), 2) == 6.65
    assert float(row['FPS']) > 0
    assert rows[1]['Model'] == 'Other' and rows[1]['mIoU'] == ''

    table = (tmp_path / 'table' / 'results.md').read_text()
    assert '| DATransNet | 71.25 | 69.50 | 95.41 | 12.50 | 77.42 | 2.18 |' \
        in table
    assert '| 150 | 2.000 | 0:40:30 |' in table
    assert '| Other | - | - |' in table
    assert 'no test log' in result.stdout


def test_compare_refuses_a_missing_work_dir(tools, tmp_path):
    result = tools.run(
        'analysis_tools/compare.py',
        tmp_path / 'missing',
        expect_success=False)
    assert result.returncode != 0
    assert 'does not exist' in result.stderr
