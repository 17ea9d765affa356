# The Consul ACL policy of one Bollard agent: the least it needs, with Consul's ACLs on and default_policy "deny".
# One token per host, each with this policy, HOST_NODE_NAME replaced by the node name of that host's Consul agent
# (`consul members`, or its -node). With a management token, on each host:
#
#   sed "s/HOST_NODE_NAME/$(hostname)/" bollard-agent-policy.hcl > /tmp/bollard-policy.hcl
#   consul acl policy create -name "bollard-agent-$(hostname)" -rules @/tmp/bollard-policy.hcl
#   consul acl token create -description "bollard agent on $(hostname)" -policy-name "bollard-agent-$(hostname)" \
#     -format json | jq -r .SecretID > /etc/bollard/consul.token
#   chmod 0600 /etc/bollard/consul.token        # agent.yaml: consul: {tokenFile: /etc/bollard/consul.token}

# Everything Bollard keeps in Consul KV is under bollard/<cluster>/: the applied specs, rollout records and audit log
# (state/), the version weights, each host's report, each balancer's traffic report, the controller lock and the
# controller's commands to the hosts. Every agent may become the controller, so every agent writes all of it.
# (One cluster in a Consul shared with others: key_prefix "bollard/<cluster>/".)
key_prefix "bollard/" {
  policy = "write"
}

# The agent's sessions (the one holding its reports, and the controller lock's) live on its own node.
session "HOST_NODE_NAME" {
  policy = "write"
}

# Replicas are registered, with their health checks, in the host's own Consul agent, under their service's name; the
# balancer lists the services and reads their instances. The agent's own liveness check (the one its sessions are
# bound to) is a TTL check of the service "bollard-agent" in the same Consul agent. In a Consul shared with other
# systems, give write on your services' names and "bollard-agent" only, and read on the rest:
#   service_prefix "" { policy = "read" }
#   service "bollard-agent" { policy = "write" }
#   service "web" { policy = "write" }
service_prefix "" {
  policy = "write"
}

# Health answers are filtered by node: the balancer must see every node that runs a replica.
node_prefix "" {
  policy = "read"
}
