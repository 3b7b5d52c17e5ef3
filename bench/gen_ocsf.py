#!/usr/bin/env python3
"""Writes a Prowler OCSF JSON scan (`prowler aws -M json-ocsf`) for the import benchmark, the
same bytes every run: gen_ocsf.py FILE FINDINGS.

The file is one JSON array of findings, written one finding at a time and laid out as Prowler
writes it (each finding indented by 4, separated by a bare comma), so generating a large file
takes little memory. Each finding is shaped like Prowler's, about 4 KB as written (under 3 KB
without the indentation): message, title, description, risk, remediation, resource metadata and
the compliance mapping of the frameworks the check belongs to, most of which ftr ignores. The
results mix PASS, FAIL and MANUAL, about 5% are muted (status "Suppressed"), over a quarter
come from checks no FTR requirement names, and the findings spread over four accounts and six
Regions. The first N findings of a larger file are the same as those of a file of N findings.
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

SEED = 20261126
ACCOUNTS = ["123456789012", "210987654321", "345678901234", "456789012345"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1"]
SCAN_START = datetime(2026, 11, 20, 10, 15, 0, tzinfo=timezone.utc)
FTR = "AWS-Foundational-Technical-Review"

# Checks: (event code, service, resource type, severity, FTR requirements, resource kind).
# An empty FTR list is a check no FTR requirement names (counted by ftr as unmapped).
# IAM-0010..IAM-0012 are written with four digits, as Prowler's mapping does.
CHECKS = [
    ("iam_root_mfa_enabled", "iam", "AwsIamUser", "critical", ["IAM-001"], "root"),
    ("iam_root_hardware_mfa_enabled", "iam", "AwsIamUser", "critical", ["IAM-001"], "root"),
    ("iam_no_root_access_key", "iam", "AwsIamUser", "critical", ["IAM-001", "IAM-002"], "root"),
    ("iam_avoid_root_usage", "iam", "AwsIamUser", "high", ["IAM-001"], "root"),
    ("iam_user_mfa_enabled_console_access", "iam", "AwsIamUser", "high", ["IAM-003", "IAM-0012"], "user"),
    ("iam_user_hardware_mfa_enabled", "iam", "AwsIamUser", "medium", ["IAM-003"], "user"),
    ("iam_rotate_access_key_90_days", "iam", "AwsIamUser", "medium", ["IAM-004", "IAM-0011"], "user"),
    ("iam_user_accesskey_unused", "iam", "AwsIamUser", "medium", ["IAM-004"], "user"),
    ("iam_password_policy_minimum_length_14", "iam", "AwsAccount", "medium", ["IAM-005"], "account"),
    ("iam_password_policy_reuse_24", "iam", "AwsAccount", "medium", ["IAM-005"], "account"),
    ("iam_policy_no_full_access_to_cloudtrail", "iam", "AwsIamPolicy", "high", ["IAM-006"], "policy"),
    ("iam_aws_attached_policy_no_administrative_privileges", "iam", "AwsIamPolicy", "high", ["IAM-006", "IAM-007"], "policy"),
    ("iam_customer_attached_policy_no_administrative_privileges", "iam", "AwsIamPolicy", "high", ["IAM-007"], "policy"),
    ("iam_inline_policy_no_administrative_privileges", "iam", "AwsIamPolicy", "high", ["IAM-007"], "policy"),
    ("iam_role_cross_account_readonlyaccess_policy", "iam", "AwsIamRole", "high", ["IAM-008", "ARC-004"], "role"),
    ("iam_role_cross_service_confused_deputy_prevention", "iam", "AwsIamRole", "high", ["IAM-008"], "role"),
    ("iam_user_no_setup_initial_access_key", "iam", "AwsIamUser", "medium", ["IAM-009"], "user"),
    ("iam_no_custom_policy_permissive_role_assumption", "iam", "AwsIamPolicy", "critical", ["IAM-0010"], "policy"),
    ("iam_support_role_created", "iam", "AwsIamRole", "medium", ["IAM-0011", "ACOM-002"], "account"),
    ("iam_securityaudit_role_created", "iam", "AwsIamRole", "medium", ["IAM-0012"], "account"),
    ("account_maintain_current_contact_details", "account", "AwsAccount", "medium", ["ACOM-001"], "account"),
    ("account_security_contact_information_is_registered", "account", "AwsAccount", "medium", ["ACOM-001", "ACOM-002"], "account"),
    ("account_security_questions_are_registered_in_the_aws_account", "account", "AwsAccount", "medium", ["ACOM-002"], "account"),
    ("organizations_account_part_of_organizations", "organizations", "AwsAccount", "medium", ["ARC-001"], "account"),
    ("organizations_scp_check_deny_regions", "organizations", "AwsOrganizationsPolicy", "low", ["ARC-001"], "account"),
    ("cloudtrail_multi_region_enabled", "cloudtrail", "AwsCloudTrailTrail", "high", ["SECOPS-001"], "trail"),
    ("cloudtrail_log_file_validation_enabled", "cloudtrail", "AwsCloudTrailTrail", "medium", ["SECOPS-001"], "trail"),
    ("guardduty_is_enabled", "guardduty", "AwsGuardDutyDetector", "high", ["SECOPS-001"], "detector"),
    ("securityhub_enabled", "securityhub", "AwsSecurityHubHub", "medium", ["SECOPS-001"], "detector"),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22", "ec2", "AwsEc2SecurityGroup", "high", ["NETSEC-001"], "sg"),
    ("ec2_securitygroup_allow_ingress_from_internet_to_all_ports", "ec2", "AwsEc2SecurityGroup", "high", ["NETSEC-001"], "sg"),
    ("ec2_securitygroup_default_restrict_traffic", "ec2", "AwsEc2SecurityGroup", "high", ["NETSEC-001", "NETSEC-002"], "sg"),
    ("vpc_flow_logs_enabled", "vpc", "AwsEc2Vpc", "medium", ["NETSEC-002"], "vpc"),
    ("ec2_networkacl_allow_ingress_any_port", "ec2", "AwsEc2NetworkAcl", "medium", ["NETSEC-002"], "nacl"),
    ("backup_plans_exist", "backup", "AwsBackupBackupPlan", "low", ["BAR-001"], "account"),
    ("backup_vaults_exist", "backup", "AwsBackupBackupVault", "low", ["BAR-001", "BAR-002"], "account"),
    ("rds_instance_backup_enabled", "rds", "AwsRdsDbInstance", "medium", ["BAR-001"], "db"),
    ("dynamodb_tables_pitr_enabled", "dynamodb", "AwsDynamoDbTable", "medium", ["BAR-002"], "table"),
    ("s3_bucket_level_public_access_block", "s3", "AwsS3Bucket", "high", ["S3-001"], "bucket"),
    ("s3_account_level_public_access_blocks", "s3", "AwsAccount", "high", ["S3-001"], "account"),
    ("s3_bucket_public_access", "s3", "AwsS3Bucket", "critical", ["S3-001"], "bucket"),
    # Checks the FTR does not name: read and counted only.
    ("s3_bucket_secure_transport_policy", "s3", "AwsS3Bucket", "medium", [], "bucket"),
    ("s3_bucket_object_versioning", "s3", "AwsS3Bucket", "medium", [], "bucket"),
    ("ec2_instance_imdsv2_enabled", "ec2", "AwsEc2Instance", "medium", [], "instance"),
    ("ec2_ebs_volume_encryption", "ec2", "AwsEc2Volume", "medium", [], "volume"),
    ("cloudwatch_log_group_retention_policy_specific_days_enabled", "cloudwatch", "AwsLogsLogGroup", "medium", [], "loggroup"),
    ("kms_cmk_rotation_enabled", "kms", "AwsKmsKey", "medium", [], "key"),
    ("lambda_function_no_secrets_in_variables", "awslambda", "AwsLambdaFunction", "critical", [], "function"),
]
# How often each check of single resources runs, by resource kind.
WEIGHT = {"trail": 2, "detector": 2, "policy": 6, "role": 6, "user": 8,
          "sg": 10, "vpc": 3, "nacl": 4, "db": 4, "table": 4, "bucket": 10, "instance": 12,
          "volume": 12, "loggroup": 8, "key": 4, "function": 6}
# Checks Prowler can only report as MANUAL.
MANUAL = {"account_maintain_current_contact_details",
          "account_security_questions_are_registered_in_the_aws_account",
          "organizations_scp_check_deny_regions"}
OTHER_FRAMEWORKS = [
    ("CIS-1.4", ["1.10", "1.14", "1.4", "2.1.5", "3.1", "4.3", "5.2"]),
    ("CIS-1.5", ["1.10", "1.14", "1.4", "2.1.5", "3.1", "4.3", "5.2"]),
    ("CIS-2.0", ["1.10", "1.14", "1.4", "2.1.4", "3.1", "4.3", "5.2"]),
    ("CIS-3.0", ["1.10", "1.14", "1.4", "2.1.4", "3.1", "4.3", "5.2", "5.4"]),
    ("AWS-Foundational-Security-Best-Practices", ["iam", "s3", "ec2", "cloudtrail", "rds", "account"]),
    ("AWS-Well-Architected-Framework-Security-Pillar", ["SEC01-BP01", "SEC02-BP02", "SEC03-BP07", "SEC05-BP02", "SEC09-BP01"]),
    ("NIST-800-53-Revision-5", ["ac_2_1", "ac_3", "ac_6_9", "au_2", "cm_7", "ia_2_1", "sc_7_21", "si_4_20"]),
    ("NIST-CSF-1.1", ["ac_1", "ac_4", "ae_3", "cm_1", "ds_5", "ip_4", "pt_3"]),
    ("ISO27001-2013", ["A.9.2", "A.9.4", "A.12.4", "A.13.1", "A.18.1"]),
    ("PCI-3.2.1", ["iam", "s3", "ec2", "cloudtrail"]),
    ("SOC2", ["cc_6_1", "cc_6_2", "cc_6_3", "cc_7_2", "cc_a_1_2"]),
    ("GDPR", ["article_25", "article_30", "article_32"]),
    ("HIPAA", ["164_308_a_1_ii_b", "164_308_a_3_ii_a", "164_312_a_1", "164_312_b"]),
    ("MITRE-ATTACK", ["T1078", "T1098", "T1190", "T1530"]),
    ("ENS-RD2022", ["op.acc.1.aws.iam.2", "op.exp.8.aws.ct.1", "mp.info.3.aws.s3.1"]),
]
FILLER = ("This finding was produced by an automated assessment of the account configuration and "
          "should be reviewed by the team that owns the workload before any change is made. ")


def resource(kind, account, region, n):
    if kind == "root":
        return f"arn:aws:iam::{account}:root", "<root_account>", "us-east-1"
    if kind == "account":
        return f"arn:aws:iam::{account}:root", account, "us-east-1"
    names = {
        "user": (f"arn:aws:iam::{account}:user/svc-user-{n}", f"svc-user-{n}", "us-east-1"),
        "policy": (f"arn:aws:iam::{account}:policy/app-policy-{n}", f"app-policy-{n}", "us-east-1"),
        "role": (f"arn:aws:iam::{account}:role/app-role-{n}", f"app-role-{n}", "us-east-1"),
        "trail": (f"arn:aws:cloudtrail:{region}:{account}:trail/org-trail-{n}", f"org-trail-{n}", region),
        "detector": (f"arn:aws:guardduty:{region}:{account}:detector/{n:032x}", f"{n:032x}", region),
        "sg": (f"arn:aws:ec2:{region}:{account}:security-group/sg-{n:017x}", f"sg-{n:017x}", region),
        "vpc": (f"arn:aws:ec2:{region}:{account}:vpc/vpc-{n:017x}", f"vpc-{n:017x}", region),
        "nacl": (f"arn:aws:ec2:{region}:{account}:network-acl/acl-{n:017x}", f"acl-{n:017x}", region),
        "db": (f"arn:aws:rds:{region}:{account}:db:app-db-{n}", f"app-db-{n}", region),
        "table": (f"arn:aws:dynamodb:{region}:{account}:table/app-table-{n}", f"app-table-{n}", region),
        "bucket": (f"arn:aws:s3:::app-bucket-{account}-{n}", f"app-bucket-{account}-{n}", region),
        "instance": (f"arn:aws:ec2:{region}:{account}:instance/i-{n:017x}", f"i-{n:017x}", region),
        "volume": (f"arn:aws:ec2:{region}:{account}:volume/vol-{n:017x}", f"vol-{n:017x}", region),
        "loggroup": (f"arn:aws:logs:{region}:{account}:log-group:/aws/app/{n}", f"/aws/app/{n}", region),
        "key": (f"arn:aws:kms:{region}:{account}:key/{n:08x}-1d2c-4b3a-9f8e-{n:012x}", f"{n:08x}", region),
        "function": (f"arn:aws:lambda:{region}:{account}:function:app-fn-{n}", f"app-fn-{n}", region),
    }
    return names[kind]


def compliance(rng, ftr_ids):
    out = {}
    for name, reqs in rng.sample(OTHER_FRAMEWORKS, rng.randint(2, 6)):
        out[name] = sorted(rng.sample(reqs, rng.randint(1, 2)))
    if ftr_ids:
        out[FTR] = list(ftr_ids)
    return dict(sorted(out.items()))


def finding(rng, i, check, account=None):
    code, service, rtype, severity, ftr_ids, kind = check
    account = account or rng.choice(ACCOUNTS)
    region = "us-east-1" if kind in ("root", "account") else rng.choice(REGIONS)
    uid, name, res_region = resource(kind, account, region, i)
    if code in MANUAL:
        status_code = "MANUAL"
    else:
        r = rng.random()
        # Prowler also reports MANUAL where it cannot decide for a resource.
        status_code = "MANUAL" if r < 0.04 else "FAIL" if r < 0.34 else "PASS"
    muted = rng.random() < 0.05
    words = code.replace("_", " ")
    if status_code == "PASS":
        detail = f"{rtype} {name} passes {words}."
    elif status_code == "FAIL":
        detail = f"{rtype} {name} does not pass {words}: the setting is missing or too permissive."
    else:
        detail = f"Manual check: review {words} for account {account}."
    when = SCAN_START + timedelta(seconds=i * 0.05 + rng.random())
    when_dt = when.strftime("%Y-%m-%dT%H:%M:%S.%f")
    title = f"Ensure {words} ({service})"
    doc = f"https://docs.aws.amazon.com/{service}/latest/userguide/best-practices.html"
    hub = f"https://hub.prowler.com/check/{code}"
    return {
        "message": detail,
        "metadata": {
            "event_code": code,
            "product": {"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler", "version": "5.11.0"},
            "profiles": ["cloud", "datetime"],
            "tenant_uid": "",
            "version": "1.5.0",
        },
        "severity_id": {"low": 2, "medium": 3, "high": 4, "critical": 5}[severity],
        "severity": severity.capitalize(),
        "status": "Suppressed" if muted else "New",
        "status_code": status_code,
        "status_detail": detail,
        "status_id": 3 if muted else 1,
        "unmapped": {
            "related_url": "",
            "categories": rng.sample(["identity-access", "encryption", "logging", "forensics-ready",
                                      "internet-exposed", "trustboundaries", "secrets"], 2),
            "depends_on": [],
            "related_to": [],
            "additional_urls": [hub],
            "notes": "" if rng.random() < 0.7 else FILLER.strip(),
            "compliance": compliance(rng, ftr_ids),
        },
        "activity_name": "Create",
        "activity_id": 1,
        "finding_info": {
            "created_time": int(when.timestamp()),
            "created_time_dt": when_dt,
            "desc": f"{title}. " + FILLER * rng.randint(0, 1),
            "product_uid": "prowler",
            "title": title,
            "types": ["Software and Configuration Checks", "Industry and Regulatory Standards"],
            "uid": f"prowler-aws-{code}-{account}-{res_region}-{name}",
        },
        "resources": [{
            "cloud_partition": "aws",
            "region": res_region,
            "data": {
                "details": "",
                "metadata": {
                    "name": name,
                    "arn": uid,
                    "region": res_region,
                    "tags": [{"Key": "env", "Value": rng.choice(["prod", "staging", "dev"])}],
                },
            },
            "group": {"name": service},
            "labels": [],
            "name": name,
            "type": rtype,
            "uid": uid,
        }],
        "category_name": "Findings",
        "category_uid": 2,
        "class_name": "Detection Finding",
        "class_uid": 2004,
        "cloud": {
            "account": {"name": f"workload-{account[-4:]}", "type": "AWS Account", "type_id": 10,
                        "uid": account, "labels": []},
            "org": {"name": "", "uid": ""},
            "provider": "aws",
            "region": region,
        },
        "remediation": {
            "desc": f"Change the {rtype} so that it satisfies: {words}. Apply the change "
                    "through infrastructure as code so it does not drift.",
            "references": [
                f"aws {service} help",
                doc,
                hub,
            ],
        },
        "risk_details": f"If {words} is not enforced, an attacker or a mistake can expose the "
                        f"{rtype} and the data it holds.",
        "time": int(when.timestamp()),
        "time_dt": when_dt,
        "type_uid": 200401,
        "type_name": "Detection Finding: Create",
    }


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(SEED)
    # Account-wide checks once per account, first; then checks of single resources, each on a
    # resource of its own.
    once = [(c, a) for c in CHECKS if c[5] in ("root", "account") for a in ACCOUNTS]
    per_resource = [c for c in CHECKS if c[5] not in ("root", "account")]
    weights = [WEIGHT[c[5]] for c in per_resource]
    with open(path, "w", encoding="utf-8") as f:
        f.write("[")
        for i in range(n):
            if i < len(once):
                check, account = once[i]
            else:
                check, account = rng.choices(per_resource, weights)[0], None
            if i:
                f.write(",")
            f.write(json.dumps(finding(rng, i, check, account), indent=4))
        f.write("]")


if __name__ == "__main__":
    main()
