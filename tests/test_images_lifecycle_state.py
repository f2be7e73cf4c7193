"""Unit tests of pull, push and build progress folding: no engine needed."""

from __future__ import annotations

from dockertui.state.transfer import (
    BuildLog,
    HistoryEntry,
    RegistryErrorKind,
    TransferProgress,
    classify_registry_error,
)


def test_pull_progress_per_layer_and_total() -> None:
    progress = TransferProgress()
    progress.apply({"status": "Pulling from dtui/x", "id": "latest"})
    progress.apply(
        {"status": "Pulling fs layer", "progressDetail": {}, "id": "aaaaaaaaaaaa"}
    )
    progress.apply(
        {"status": "Pulling fs layer", "progressDetail": {}, "id": "bbbbbbbbbbbb"}
    )
    detail = {"current": 50, "total": 200}
    progress.apply(
        {"status": "Downloading", "progressDetail": detail, "id": "aaaaaaaaaaaa"}
    )
    detail = {"current": 100, "total": 100}
    progress.apply(
        {"status": "Downloading", "progressDetail": detail, "id": "bbbbbbbbbbbb"}
    )
    progress.apply(
        {"status": "Pull complete", "progressDetail": {}, "id": "bbbbbbbbbbbb"}
    )

    assert list(progress.layers) == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]
    assert progress.layers["aaaaaaaaaaaa"].fraction == 0.25
    assert progress.layers["bbbbbbbbbbbb"].done
    assert progress.total_bytes == 300
    assert progress.done_bytes == 150
    assert progress.fraction == 0.5
    assert progress.messages == ["Pulling from dtui/x"]


def test_extracting_does_not_move_download_bytes() -> None:
    progress = TransferProgress()
    layer = "aaaaaaaaaaaa"
    progress.apply(
        {
            "status": "Downloading",
            "progressDetail": {"current": 10, "total": 40},
            "id": layer,
        }
    )
    progress.apply({"status": "Download complete", "progressDetail": {}, "id": layer})
    progress.apply(
        {
            "status": "Extracting",
            "progressDetail": {"current": 1, "total": 99},
            "id": layer,
        }
    )

    assert progress.layers[layer].current == 40
    assert progress.layers[layer].total == 40
    assert progress.fraction == 1.0


def test_push_digest_read_from_aux_and_status() -> None:
    from_status = TransferProgress()
    from_status.apply({"status": "latest: digest: sha256:abc size: 736"})
    from_aux = TransferProgress()
    from_aux.apply({"aux": {"Tag": "latest", "Digest": "sha256:def", "Size": 1}})

    assert from_status.digest == "sha256:abc"
    assert from_aux.digest == "sha256:def"


def test_stream_error_cleaned_of_escapes() -> None:
    progress = TransferProgress()
    progress.apply({"errorDetail": {"message": "bad\x1b[2Jthing"}, "error": "bad"})

    assert progress.error == "badthing"


def test_registry_errors_classified() -> None:
    refused = 'Get "http://127.0.0.1:5999/v2/": dial tcp: connect: connection refused'
    cases = [
        (
            "manifest for x:latest not found: manifest unknown",
            RegistryErrorKind.NOT_FOUND,
        ),
        (
            "pull access denied for x, repository does not exist",
            RegistryErrorKind.UNAUTHORIZED,
        ),
        ("unauthorized: authentication required", RegistryErrorKind.UNAUTHORIZED),
        (refused, RegistryErrorKind.UNREACHABLE),
        ("something else", RegistryErrorKind.OTHER),
    ]
    for message, kind in cases:
        assert classify_registry_error(message) is kind, message


def test_build_log_tracks_failing_step() -> None:
    build = BuildLog()
    build.apply({"stream": "Step 1/3 : FROM base\n ---> abc\nStep 2/3 : RUN "})
    build.apply({"stream": "exit 3\n"})
    build.apply({"errorDetail": {"code": 3, "message": "returned a non-zero code: 3"}})

    assert build.failing_step == "Step 2/3 : RUN exit 3"
    assert build.error == "returned a non-zero code: 3"
    assert build.image_id == ""
    assert list(build.lines)[-1] == "ERROR: returned a non-zero code: 3"


def test_build_log_result_and_bounded_lines() -> None:
    build = BuildLog(max_lines=3)
    for number in range(10):
        build.apply({"stream": f"line {number}\n"})
    build.apply({"aux": {"ID": "sha256:feed"}})

    assert build.image_id == "sha256:feed"
    assert build.failing_step == ""
    assert list(build.lines) == ["line 7", "line 8", "line 9"]


def test_build_log_strips_terminal_escapes() -> None:
    build = BuildLog()

    lines = build.apply({"stream": "\x1b]0;owned\x07hello [bold]x[/]\n"})

    assert lines == ["hello [bold]x[/]"]


def test_history_command_drops_shell_prefix() -> None:
    entry = HistoryEntry("id", None, '/bin/sh -c #(nop)  CMD ["sh"]', 0)

    assert entry.command == 'CMD ["sh"]'


def test_push_overreported_bytes_capped() -> None:
    progress = TransferProgress()
    layer = "cccccccccccc"
    sent = {"current": 138752, "total": 3216}
    progress.apply({"status": "Pushing", "progressDetail": sent, "id": layer})

    assert progress.layers[layer].current == 3216
    assert progress.done_bytes == progress.total_bytes
