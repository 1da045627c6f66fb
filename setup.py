"""Maps the top-level prompts/ and schemas/ folders into the package, so a plain `pip install .` carries them."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["pipeline", "pipeline.*"]), "pipeline.prompts", "pipeline.schemas"],
    package_dir={"pipeline.prompts": "prompts", "pipeline.schemas": "schemas"},
)
