// A Go client of authemu over HTTPS: net/http with the generated CA in an x509.CertPool,
// golang.org/x/oauth2/clientcredentials (Debian's golang-golang-x-oauth2-dev) for a token from the
// token endpoint that discovery names, then introspection and the management API with it. Go's
// verifier enforces the CA's name constraints, which mbedTLS does not. Without the pool, the same
// request must fail with an unknown-authority error.
//
// Usage: tls_go ISSUER CA_FILE URL (URL: the server by IP address, https://127.0.0.1:PORT). Prints "ok - …" / "not ok - …" lines; exits 1 if one failed.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

var failed = 0

func check(name string, cond bool, detail string) {
	if cond {
		fmt.Printf("ok - %s\n", name)
		return
	}
	failed++
	if detail != "" {
		fmt.Printf("not ok - %s: %s\n", name, detail)
	} else {
		fmt.Printf("not ok - %s\n", name)
	}
}

// getJSON GETs url with client into out; it returns the status, or an error.
func getJSON(client *http.Client, req *http.Request, out any) (int, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
}

func main() {
	issuer, caFile, byIP := os.Args[1], os.Args[2], os.Args[3]
	pem, err := os.ReadFile(caFile)
	if err != nil {
		check("go: read the CA file", false, err.Error())
		os.Exit(1)
	}
	pool := x509.NewCertPool()
	check("go: the CA file parses into an x509.CertPool", pool.AppendCertsFromPEM(pem), "")
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}

	var disc struct {
		Issuer                string `json:"issuer"`
		TokenEndpoint         string `json:"token_endpoint"`
		IntrospectionEndpoint string `json:"introspection_endpoint"`
	}
	req, _ := http.NewRequest("GET", issuer+"/.well-known/openid-configuration", nil)
	status, err := getJSON(client, req, &disc)
	check("go: discovery over HTTPS with the CA pool (name constraints checked by Go)", err == nil && status == 200,
		fmt.Sprint(status, err))
	check("go: discovery's issuer is the https issuer", disc.Issuer == issuer, disc.Issuer)

	resp, err := client.Get(byIP + "/_healthcheck")
	if err == nil {
		resp.Body.Close()
	}
	check("go: by IP address too (an IP SAN within the CA's IP constraints)", err == nil && resp.StatusCode == 200,
		fmt.Sprint(err))

	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, client)
	cc := clientcredentials.Config{ClientID: "testing", ClientSecret: "testing", TokenURL: disc.TokenEndpoint,
		AuthStyle: oauth2.AuthStyleInHeader}
	tok, err := cc.Token(ctx)
	check("go: x/oauth2 clientcredentials gets a token from discovery's token endpoint",
		err == nil && tok.AccessToken != "" && strings.EqualFold(tok.TokenType, "bearer"), fmt.Sprint(err))
	if err == nil {
		check("go: the token has an expiry", !tok.Expiry.IsZero() && tok.Expiry.After(time.Now()), tok.Expiry.String())

		var intro struct {
			Active   bool   `json:"active"`
			ClientID string `json:"client_id"`
			Iss      string `json:"iss"`
		}
		req, _ = http.NewRequest("POST", disc.IntrospectionEndpoint,
			strings.NewReader(url.Values{"token": {tok.AccessToken}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("testing", "testing")
		status, err = getJSON(client, req, &intro)
		check("go: introspection says the token is active", err == nil && status == 200 && intro.Active &&
			intro.ClientID == "testing", fmt.Sprint(status, err, intro))

		// oauth2's Transport adds the bearer header on top of the pool's transport: the management
		// API answers it, and refuses the same request without it.
		var list struct {
			Data *[]json.RawMessage `json:"data"`
		}
		req, _ = http.NewRequest("GET", issuer+"/clients", nil)
		status, err = getJSON(cc.Client(ctx), req, &list)
		check("go: the management API accepts the token through oauth2's Transport",
			err == nil && status == 200 && list.Data != nil, fmt.Sprint(status, err))
		resp, err = client.Get(issuer + "/clients")
		if err == nil {
			resp.Body.Close()
		}
		check("go: … and answers 401 without it", err == nil && resp.StatusCode == 401, fmt.Sprint(err))
	}

	// Without the pool: the system roots do not know the generated CA.
	plain := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}}
	_, err = plain.Get(issuer + "/.well-known/openid-configuration")
	var unknown x509.UnknownAuthorityError
	check("go: without the CA pool the request fails with x509.UnknownAuthorityError",
		err != nil && errors.As(err, &unknown), fmt.Sprint(err))

	if failed > 0 {
		os.Exit(1)
	}
}
