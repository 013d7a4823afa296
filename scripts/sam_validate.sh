#!/usr/bin/env bash
# Validate template.yaml with AWS SAM CLI + cfn-lint, offline.
#
# SAM CLI pins boto3 exactly, so it lives in its own virtualenv (.sam-venv) and must not share .venv.
# `sam validate` needs a region but no credentials: we force a region and blank out any credentials
# so the check is reproducible and never talks to a real account.
set -euo pipefail

SAM_CLI_VERSION="1.170.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SAM_VENV:-${ROOT}/.sam-venv}"
PYTHON="${SAM_PYTHON:-$(command -v python3.11 || command -v python3)}"

if [[ ! -x "${VENV}/bin/sam" ]] || ! "${VENV}/bin/sam" --version 2>/dev/null | grep -q "${SAM_CLI_VERSION}"; then
  echo "Creating ${VENV} with aws-sam-cli==${SAM_CLI_VERSION} ..." >&2
  "${PYTHON}" -m venv "${VENV}"
  "${VENV}/bin/python" -m pip install --quiet --upgrade pip
  "${VENV}/bin/python" -m pip install --quiet "aws-sam-cli==${SAM_CLI_VERSION}"
fi

cd "${ROOT}"
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export SAM_CLI_TELEMETRY=0
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

exec "${VENV}/bin/sam" validate --lint --template template.yaml "$@"
