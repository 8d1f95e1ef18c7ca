{{/* Chart name. */}}
{{- define "agent-server-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name when it already contains the chart name. */}}
{{- define "agent-server-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "agent-server-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "agent-server-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: agent-server
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the operator pods. */}}
{{- define "agent-server-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agent-server-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The operator's ServiceAccount. Without create, a name is required: binding the operator's ClusterRole to the
namespace's "default" ServiceAccount would hand its rights to every pod there that names no account. */}}
{{- define "agent-server-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "agent-server-operator.fullname" .) .Values.serviceAccount.name }}
{{- else if .Values.serviceAccount.name }}
{{- .Values.serviceAccount.name }}
{{- else }}
{{- fail "serviceAccount.name is required when serviceAccount.create=false: the operator's RBAC would otherwise be bound to the namespace's default ServiceAccount, which every pod there that names no account uses" }}
{{- end }}
{{- end }}

{{/* RBAC rules for reconciling AgentServers: exactly what the operator reads and writes.
Both update (create/update mode) and patch (server-side apply) on owned objects; delete only for
what a spec change can remove (managed Redis/PostgreSQL, the PodDisruptionBudget, the autoscaler, the
NetworkPolicies, the ServiceMonitor/PodMonitor, the CloudNativePG Cluster and ScheduledBackup). Events are only created (and patched by series). The
operator caches only the Secrets it owns or that an AgentServer references (those it labels
agentserver.io/watched, with get and patch); list and watch stay, as RBAC cannot grant them by label. Pods: get
and delete only, for the managed PostgreSQL's forced rollback (a pod stuck at a reverted revision is recreated). */}}
{{- define "agent-server-operator.rules" -}}
- apiGroups: ["agentserver.io"]
  resources: ["agentservers"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["agentserver.io"]
  resources: ["agentservers/status"]
  verbs: ["get", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["services", "secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors", "podmonitors"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["postgresql.cnpg.io"]
  resources: ["clusters", "scheduledbackups"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "delete"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
