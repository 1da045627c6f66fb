"""Maps the top-level prompts/ and schemas/ folders into the package, so a plain `pip install .` carries them;
installs the public API package `juesuan` beside the implementation `pipeline`."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["pipeline", "pipeline.*"]), "pipeline.prompts", "pipeline.schemas", "juesuan"],
    package_dir={"pipeline.prompts": "prompts", "pipeline.schemas": "schemas"},
)
