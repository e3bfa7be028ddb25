"""The message-pipeline benchmark: real server processes, a load generator in another
process over loopback, and the figures of issue 14 (see ``python -m bench.pipeline -h``)."""
