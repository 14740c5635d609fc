/**
 * Names of Docker Official Images (docker.io/library/NAME), a snapshot of the best-known ones from
 * https://github.com/docker-library/official-images (library/). Used only to guess intent: `docker.io/busybox` is
 * almost certainly the official image (a mistake), `docker.io/grafana` almost certainly a namespace (an allow-list).
 */
export const OFFICIAL_IMAGES: ReadonlySet<string> = new Set(
  (
    "adminer aerospike almalinux alpine alt amazoncorretto amazonlinux arangodb archlinux backdrop bash bonita buildpack-deps " +
    "busybox caddy cassandra centos chronograf cirros clearlinux clojure composer consul convertigo couchbase couchdb crate " +
    "dart debian docker drupal eclipse-mosquitto eclipse-temurin eggdrop elasticsearch elixir emqx erlang fedora flink fluentd " +
    "friendica gazebo gcc geonetwork ghost golang gradle groovy haproxy haskell hello-world httpd hylang ibm-semeru-runtimes " +
    "ibmjava influxdb irssi jetty jruby julia kapacitor kibana kong liquibase logstash mageia maven mariadb matomo mediawiki " +
    "memcached mongo mongo-express monica mono mysql nats neo4j neurodebian nextcloud nginx node odoo open-liberty openjdk " +
    "oraclelinux orientdb percona perl photon php phpmyadmin plone postfixadmin postgres pypy python r-base rabbitmq " +
    "rakudo-star redis redmine registry rethinkdb rockylinux ros ruby rust sapmachine satosa silverpeas sl solr sonarqube " +
    "spiped storm swift teamspeak telegraf tomcat tomee traefik ubuntu unit varnish websphere-liberty wordpress xwiki yourls " +
    "znc zookeeper"
  ).split(" "),
);
