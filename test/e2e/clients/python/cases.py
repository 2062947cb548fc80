"""kplane compatibility cases driven by the official Kubernetes Python client.

Run as `python3 cases.py <case> <kubeconfig>`; prints one JSON line with what the case saw.
TLS is verified with the CA from the kubeconfig (load_kube_config does that). The Node test
(python.test.ts) checks the printed result and the stored objects over HTTP.
"""
import datetime
import json
import sys
import threading

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
from kubernetes.watch.watch import iter_resp_lines

NS = "default"


def out(value):
    print(json.dumps(value, default=str))


def api_client():
    return config.new_client_from_config(config_file=sys.argv[2])


def watch_true_with_bookmarks():
    # watch=True is sent as "True"; kplane must treat it as a watch, not a list.
    core = client.CoreV1Api(api_client())
    rv = core.list_namespaced_config_map(NS).metadata.resource_version
    threading.Timer(0.5, lambda: core.create_namespaced_config_map(
        NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-watched"), data={"w": "1"}))).start()
    w = watch.Watch()
    added = None
    for ev in w.stream(core.list_namespaced_config_map, NS, resource_version=rv,
                       allow_watch_bookmarks=True, timeout_seconds=120):
        if ev["type"] == "ADDED" and ev["object"].metadata.name == "py-watched":
            added = {"type": ev["type"], "name": ev["object"].metadata.name, "data": ev["object"].data,
                     "rv": int(ev["object"].metadata.resource_version)}
        elif ev["type"] == "BOOKMARK" and added is not None:
            # allowWatchBookmarks=True was honoured: the server sends BOOKMARKs when idle.
            w.stop()
            added["bookmark_not_older"] = int(ev["raw_object"]["metadata"]["resourceVersion"]) >= added.pop("rv")
            out(added)
            return
    out({"error": "watch ended without the ADDED event and a BOOKMARK", "added": added})


def typed_without_kind():
    # Typed models carry no apiVersion/kind unless set; kube fills them from the URL.
    core = client.CoreV1Api(api_client())
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-typed"), data={"a": "1"})
    created = core.create_namespaced_config_map(NS, body)
    apps = client.AppsV1Api(api_client())
    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="py-web"),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "py-web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "py-web"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nginx:1")]))))
    made = apps.create_namespaced_deployment(NS, dep)
    out({"cm": [created.kind, created.api_version, created.data], "deploy": [made.kind, made.api_version, made.spec.replicas]})


def scale_deployment():
    apps = client.AppsV1Api(api_client())
    # A dict body goes out as a strategic merge patch to deployments/py-web/scale.
    patched = apps.patch_namespaced_deployment_scale("py-web", NS, {"spec": {"replicas": 4}})
    read = apps.read_namespaced_deployment_scale("py-web", NS)
    replaced = apps.replace_namespaced_deployment_scale("py-web", NS, client.V1Scale(
        metadata=client.V1ObjectMeta(name="py-web"), spec=client.V1ScaleSpec(replicas=3)))
    out({"patched": patched.spec.replicas, "read": [read.kind, read.spec.replicas, read.status.selector],
         "replaced": replaced.spec.replicas})


def delete_replies():
    core = client.CoreV1Api(api_client())
    uid = core.read_namespaced_config_map("py-typed", NS).metadata.uid
    resp = core.delete_namespaced_config_map("py-typed", NS, _preload_content=False)
    gone = json.loads(resp.data)
    core.create_namespaced_config_map(NS, client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name="py-held", finalizers=["example.com/hold"])))
    resp = core.delete_namespaced_config_map("py-held", NS, _preload_content=False)
    held = json.loads(resp.data)
    core.patch_namespaced_config_map("py-held", NS, {"metadata": {"finalizers": None}})
    out({"uid": uid, "gone": gone, "held": {"kind": held.get("kind"), "deletionTimestamp": held["metadata"].get("deletionTimestamp")}})


def lease_microtime():
    coord = client.CoordinationV1Api(api_client())
    tz = datetime.timezone(datetime.timedelta(hours=2))
    acquired = datetime.datetime(2024, 3, 1, 10, 0, 0, 123456, tzinfo=tz)
    renewed = datetime.datetime(2024, 3, 1, 10, 0, 5, tzinfo=datetime.timezone.utc)
    coord.create_namespaced_lease(NS, client.V1Lease(
        metadata=client.V1ObjectMeta(name="py-lease"),
        spec=client.V1LeaseSpec(holder_identity="py", lease_duration_seconds=15, acquire_time=acquired, renew_time=renewed)))
    back = coord.read_namespaced_lease("py-lease", NS)
    out({"acquire": back.spec.acquire_time.isoformat(), "renew": back.spec.renew_time.isoformat()})


def ssa_force_true():
    apply_client = api_client()
    apply_client.set_default_header("Content-Type", "application/apply-patch+yaml")
    core = client.CoreV1Api(apply_client)
    # This client version only sends str bodies for non-JSON content types: JSON text is YAML.
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "py-ssa"}, "data": {"k": "first"}}
    core.patch_namespaced_config_map("py-ssa", NS, json.dumps(cm), field_manager="py-one")
    cm["data"]["k"] = "second"
    try:
        core.patch_namespaced_config_map("py-ssa", NS, json.dumps(cm), field_manager="py-two")
        conflict = None
    except ApiException as e:
        conflict = e.status
    # force=True goes out as "force=True": without ParseBool forms it was ignored (409 again).
    forced = core.patch_namespaced_config_map("py-ssa", NS, json.dumps(cm), field_manager="py-two", force=True)
    out({"conflict": conflict, "data": forced.data})


def future_resource_version():
    core = client.CoreV1Api(api_client())
    rv = int(core.list_namespaced_config_map(NS).metadata.resource_version)
    try:
        for _ in watch.Watch().stream(core.list_namespaced_config_map, NS, resource_version=str(rv + 1000), timeout_seconds=300):
            pass
        out({"error": "the watch ended without an ERROR event"})
    except ApiException as e:
        out({"status": e.status, "reason": e.reason})


def raw_get(path, query=None):
    api = api_client()
    resp = api.call_api(path, "GET", query_params=query or [], header_params={"Accept": "application/json"},
                        auth_settings=["BearerToken"], _preload_content=False, _return_http_data_only=True)
    return resp


def legacy_watch_path():
    # The deprecated /watch/ path form (what the godaddy client uses): initial ADDED events.
    resp = raw_get("/api/v1/watch/namespaces/default/configmaps/py-ssa", [("timeoutSeconds", "30")])
    first = json.loads(next(iter_resp_lines(resp)))
    resp.close()
    out({"type": first["type"], "name": first["object"]["metadata"]["name"]})


def bad_boolean():
    try:
        raw_get("/api/v1/namespaces/default/configmaps", [("watch", "yes")])
        out({"status": 200})
    except ApiException as e:
        out({"status": e.status, "body": json.loads(e.body)})


def field_selectors():
    core = client.CoreV1Api(api_client())
    active = [n.metadata.name for n in core.list_namespace(field_selector="status.phase=Active").items]
    terminating = core.list_namespace(field_selector="status.phase=Terminating").items
    core.create_namespaced_secret(NS, client.V1Secret(metadata=client.V1ObjectMeta(name="py-tls"), type="example.com/tls",
                                                      string_data={"k": "v"}))
    typed = [s.metadata.name for s in core.list_namespaced_secret(NS, field_selector="type=example.com/tls").items]
    try:
        core.list_namespaced_config_map(NS, field_selector="data.k=v")
        unsupported = None
    except ApiException as e:
        unsupported = [e.status, json.loads(e.body)["message"]]
    out({"active": active, "terminating": len(terminating), "typed": typed, "unsupported": unsupported})


CASES = {f.__name__: f for f in [watch_true_with_bookmarks, typed_without_kind, scale_deployment, delete_replies, lease_microtime,
                                  ssa_force_true, future_resource_version, legacy_watch_path, bad_boolean, field_selectors]}

if __name__ == "__main__":
    CASES[sys.argv[1]]()
